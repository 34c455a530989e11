namespace Coldmod.Weaver.Weaving;

/// <summary>The names the weaver gives what it adds to an assembly; the marker of a woven assembly is <see cref="ProbesType"/>.</summary>
public static class WovenNames
{
    /// <summary>The internal probe class added to every woven assembly; unspeakable in C#, so it cannot collide with user code.</summary>
    public const string ProbesType = "<Coldmod>Probes";

    /// <summary>The manifest resource holding the srcs table, in probe-index order.</summary>
    public const string SrcsResource = "Coldmod.Srcs";

    /// <summary>The prefix of the probe methods (<c>Hit0</c>, <c>Hit1</c>, …, one per 256 srcs) called at every traced method's entry.</summary>
    public const string HitMethod = "Hit";
}
