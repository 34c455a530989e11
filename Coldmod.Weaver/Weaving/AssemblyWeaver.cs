using Coldmod.Weaver.Weaving.Internal;

namespace Coldmod.Weaver.Weaving;

/// <summary>
/// Weaves an assembly in place: an entry probe in every trace src, the counters and their module
/// initializer, the embedded srcs table and the woven marker, with the PDB kept right.
/// </summary>
public static class AssemblyWeaver
{
    /// <summary>Weaves <see cref="WeaveOptions.AssemblyPath"/>; weaving a woven assembly is a no-op.</summary>
    /// <exception cref="ColdmodException">The assembly, its PDB or Coldmod.Runtime cannot be read, or a method cannot be woven (the message names it and its file:line).</exception>
    public static WeaveResult Weave(WeaveOptions options)
    {
        using var assembly = WeavableAssembly.Read(options.AssemblyPath, options.ReferencePaths);
        if (WovenMarker.IsWoven(assembly.Module))
        {
            return new WeaveResult(WeaveOutcome.AlreadyWoven, [], []);
        }

        var scan = SrcScanner.Scan(options.AssemblyPath, options.Root, options.SourceRoots);
        if (scan.Srcs.Count == 0)
        {
            return new WeaveResult(WeaveOutcome.NothingToTrace, [], scan.Warnings);
        }

        var runtime = RuntimeReferences.Import(assembly.Module, options.RuntimeAssemblyPath);
        var probes = ProbeClassEmitter.Emit(assembly.Module, runtime, scan.Srcs.Count);
        ProbeInjector.Inject(assembly.Module, scan.Srcs, probes);
        ModuleInitializer.CallFirst(assembly.Module, probes.Initialize);
        SrcsEmbedder.Embed(assembly.Module, scan.Srcs);
        assembly.Write(options.StrongNameKeyFile);
        return new WeaveResult(WeaveOutcome.Woven, scan.Srcs, scan.Warnings);
    }
}
