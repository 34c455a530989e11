using System.Globalization;
using Coldmod.Server.Model;
using Microsoft.AspNetCore.Components;

namespace Coldmod.Server.Components.Controls;

/// <summary>Every app with its totals; choosing one shows its heatmap.</summary>
public sealed partial class AppSelector
{
    /// <summary>The apps, by name.</summary>
    [Parameter]
    public IReadOnlyList<AppSummary> Apps { get; set; } = [];

    /// <summary>The app shown.</summary>
    [Parameter]
    public string? Selected { get; set; }

    /// <summary>Called with the name of the app chosen.</summary>
    [Parameter]
    public EventCallback<string> OnSelect { get; set; }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
