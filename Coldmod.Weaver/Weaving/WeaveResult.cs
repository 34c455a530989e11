namespace Coldmod.Weaver.Weaving;

/// <summary>The outcome of weaving one assembly.</summary>
public sealed record WeaveResult(WeaveOutcome Outcome, IReadOnlyList<TraceSrc> Srcs, IReadOnlyList<ScanWarning> Warnings);

/// <summary>What the weaver did to the assembly.</summary>
public enum WeaveOutcome
{
    /// <summary>Probes were inserted and the assembly and PDB rewritten.</summary>
    Woven,

    /// <summary>The assembly already carries Coldmod's marker; nothing was written.</summary>
    AlreadyWoven,

    /// <summary>No method of the assembly is a trace src (e.g. none of its sources are under the root); nothing was written.</summary>
    NothingToTrace,
}
