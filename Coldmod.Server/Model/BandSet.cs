namespace Coldmod.Server.Model;

/// <summary>A set of <see cref="Band"/>s, as the band filter's toggles select them.</summary>
[Flags]
public enum BandSet
{
    /// <summary>No band: the filter shows nothing.</summary>
    None = 0,

    /// <summary><see cref="Band.Cold"/>.</summary>
    Cold = 1 << Band.Cold,

    /// <summary><see cref="Band.P10"/>.</summary>
    P10 = 1 << Band.P10,

    /// <summary><see cref="Band.P20"/>.</summary>
    P20 = 1 << Band.P20,

    /// <summary><see cref="Band.P40"/>.</summary>
    P40 = 1 << Band.P40,

    /// <summary><see cref="Band.P90"/>.</summary>
    P90 = 1 << Band.P90,

    /// <summary><see cref="Band.Hot"/>.</summary>
    Hot = 1 << Band.Hot,

    /// <summary>Every band.</summary>
    All = Cold | P10 | P20 | P40 | P90 | Hot,
}
