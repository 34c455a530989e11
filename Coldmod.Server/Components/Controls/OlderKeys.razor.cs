using System.Globalization;
using Coldmod.Server.Model;
using Microsoft.AspNetCore.Components;

namespace Coldmod.Server.Components.Controls;

/// <summary>The keys only older retained versions list, apart from the current version's heatmap and collapsed at first.</summary>
public sealed partial class OlderKeys
{
    // A build that renamed a whole area leaves thousands behind; the count says how many, the rows are a sample.
    private const int MaxRows = 500;

    private bool _open;

    /// <summary>The older-only srcs, ordered by key.</summary>
    [Parameter]
    public IReadOnlyList<HeatEntry> Entries { get; set; } = [];

    private void Toggle() => _open = !_open;

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "never";
}
