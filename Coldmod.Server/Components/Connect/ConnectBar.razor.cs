using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Coldmod.Server.Components.Connect;

/// <summary>The connected checkout: whether its CLI is there, the commands for the selected rows, and what the last command did.</summary>
public sealed partial class ConnectBar
{
    /// <summary>The page's connect session.</summary>
    [Parameter]
    [EditorRequired]
    public ConnectState State { get; set; } = default!;

    private Task IgnoreSelected() => State.IgnoreAsync([.. State.Selected]);

    private Task RemoveSelected() => State.PreviewRemoveAsync([.. State.Selected]);

    private static string Plural(int count, string noun) =>
        count == 1 ? $"1 {noun}" : $"{count.ToString("N0", CultureInfo.InvariantCulture)} {noun}s";
}
