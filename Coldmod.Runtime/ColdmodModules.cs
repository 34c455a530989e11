using System.ComponentModel;
using System.Reflection;
using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime;

/// <summary>Returns one of a woven module's probe words (a static field of its probe class). Woven code uses it; applications do not.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate ref long ProbeWords();

/// <summary>
/// The registry of woven modules loaded in this process. Woven code calls this type; applications do not.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ColdmodModules
{
    private static readonly object s_gate = new();
    private static ModuleCounters[] s_modules = [];

    internal static IReadOnlyList<ModuleCounters> Modules => Volatile.Read(ref s_modules);

    /// <summary>
    /// Registers a woven module with <paramref name="methodCount"/> probes and returns its counters.
    /// Called once per loaded copy of the module, from its module initializer; never throws.
    /// </summary>
    /// <param name="assembly">The woven assembly; its embedded srcs table names the probes, and is read on first drain.</param>
    /// <param name="methodCount">The number of probes woven into the assembly.</param>
    public static ModuleCounters Register(Assembly assembly, int methodCount)
    {
        var name = assembly?.GetName().Name ?? "(unnamed)";
        if (!RuntimeSupport.IsTraced)
        {
            return Quiet(name, methodCount);
        }

        return Add(new ModuleCounters(name, methodCount, ModuleSrcs.FromAssembly(name, assembly, methodCount), CountingSettings.Current));
    }

    /// <summary>
    /// Registers a woven module whose probes count into its own static fields, one <see cref="long"/> per probe, from
    /// the one <paramref name="first"/> returns to the one <paramref name="last"/> returns, and returns its counters.
    /// Called once per loaded copy of the module, from its probe class's static constructor; never throws.
    /// </summary>
    /// <param name="assembly">The woven assembly; its embedded srcs table names the probes, and is read on first drain.</param>
    /// <param name="methodCount">The number of probes woven into the assembly.</param>
    /// <param name="first">Returns the first probe's word.</param>
    /// <param name="last">Returns the last probe's word; the words must lie 8 bytes apart, in probe order.</param>
    public static unsafe ModuleCounters Register(Assembly assembly, int methodCount, ProbeWords first, ProbeWords last)
    {
        var name = assembly?.GetName().Name ?? "(unnamed)";
        if (!RuntimeSupport.IsTraced || methodCount <= 0 || first is null || last is null)
        {
            return Quiet(name, methodCount);
        }

        long span;
        fixed (long* from = &first())
        fixed (long* to = &last())
        {
            span = (long)((byte*)to - (byte*)from);
        }

        if (span != (long)(methodCount - 1) * sizeof(long))
        {
            // Counting into words that are not where the probes are would report methods that ran as cold: count nothing
            // and report nothing for this module instead.
            RuntimeLog.Report(
                $"{name} is not traced: this runtime lays out its {methodCount} probe words over {span} bytes, not " +
                $"{(long)(methodCount - 1) * sizeof(long)} as Coldmod expects. Report it with the .NET version in use.");
            return Quiet(name, methodCount);
        }

        return Add(new ModuleCounters(name, methodCount, ModuleSrcs.FromAssembly(name, assembly, methodCount), CountingSettings.Current, words: first));
    }

    // Where calls are not counted: every flag is clear, so no probe calls Hit, and the module is not registered, so
    // nothing drains, samples or exports it.
    internal static ModuleCounters Quiet(string name, int methodCount) =>
        new(name, methodCount, ModuleSrcs.FromKeys(name, []), CountingSettings.Exact, armed: false);

    // For modules that have no woven assembly behind them (tests): the keys are given, in probe order.
    internal static ModuleCounters Register(string moduleName, IReadOnlyList<string> keys, CountingSettings? counting = null) =>
        Add(new ModuleCounters(moduleName, keys.Count, ModuleSrcs.FromKeys(moduleName, keys), counting ?? CountingSettings.Exact));

    // The module the assembly's probes count into: the first registered for that loaded copy.
    internal static ModuleCounters? Find(Assembly assembly)
    {
        foreach (var module in Modules)
        {
            if (module.IsFrom(assembly))
            {
                return module;
            }
        }

        return null;
    }

    // Drains every module and merges hits by key, since the backend counts per key: copies of one assembly
    // loaded in several load contexts add up.
    internal static IReadOnlyList<HitCount> DrainAll(bool sweep = false)
    {
        var merged = new Dictionary<string, HitCount>(StringComparer.Ordinal);
        foreach (var module in Modules)
        {
            foreach (var hit in module.Drain(sweep))
            {
                merged[hit.Key] = merged.TryGetValue(hit.Key, out var before) ? HitCount.Sum(before, hit) : hit;
            }
        }

        return [.. merged.Values];
    }

    private static ModuleCounters Add(ModuleCounters module)
    {
        lock (s_gate)
        {
            Volatile.Write(ref s_modules, [.. s_modules, module]);
        }

        HeatmapFileExport.Arm();
        if (!module.CountsExactly)
        {
            Sampler.EnsureStarted();
        }

        return module;
    }
}
