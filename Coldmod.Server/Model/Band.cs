namespace Coldmod.Server.Model;

/// <summary>
/// How hot a src is. <see cref="Cold"/> is a count of zero; the others are percentile bands of the
/// app's non-zero counts, lowest first.
/// </summary>
public enum Band
{
    /// <summary>Never called.</summary>
    Cold,

    /// <summary>The lowest tenth of the called srcs.</summary>
    P10,

    /// <summary>From the 10th to the 20th percentile.</summary>
    P20,

    /// <summary>From the 20th to the 40th percentile.</summary>
    P40,

    /// <summary>From the 40th to the 90th percentile.</summary>
    P90,

    /// <summary>The top tenth.</summary>
    Hot,
}
