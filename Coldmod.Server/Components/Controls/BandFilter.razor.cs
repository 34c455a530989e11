using Coldmod.Server.Model;
using Microsoft.AspNetCore.Components;

namespace Coldmod.Server.Components.Controls;

/// <summary>One toggle per band, each with how many srcs are in it; several may be on at once.</summary>
public sealed partial class BandFilter
{
    /// <summary>The current filter.</summary>
    [Parameter]
    public HeatFilter Filter { get; set; } = HeatFilter.All;

    /// <summary>Called with the filter after a toggle.</summary>
    [Parameter]
    public EventCallback<HeatFilter> FilterChanged { get; set; }

    /// <summary>Srcs per band in the whole app.</summary>
    [Parameter]
    public IReadOnlyDictionary<Band, int> Counts { get; set; } = new Dictionary<Band, int>();

    private static string Label(Band band) => band.ToString().ToUpperInvariant();
}
