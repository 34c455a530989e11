using Coldmod.Runtime.Internal.Sending;

namespace Coldmod.Runtime.Internal;

// Offline mode: with COLDMOD_HEATMAP_FILE=path, the heatmap of the whole run is written to that file when the process
// exits, with no server and no ColdmodTracing.Start(), so a CI test run can find cold code on its own. Counts go to the
// file only at exit, from a final sweep. When ColdmodTracing.Start() runs too, the sender drains the counters all along,
// so the export first lets the sender make its final flush, then adds what the sender drained (DrainLedger) to its sweep:
// both the server and the file see every call.
internal static class HeatmapFileExport
{
    public const string VariableName = "COLDMOD_HEATMAP_FILE";

    // 200 x 25 ms: five seconds for every other process exiting with the same file to finish its merge.
    public const int DefaultLockAttempts = 200;

    private static readonly TimeSpan s_lockDelay = TimeSpan.FromMilliseconds(25);
    private static int s_armed;

    // Called at every registration, inside the app's start-up: only the first call reads the environment, and none throws.
    public static void Arm()
    {
        if (Volatile.Read(ref s_armed) != 0 || Interlocked.Exchange(ref s_armed, 1) != 0)
        {
            return;
        }

        try
        {
            // Resolved now, as the user meant it: the app may change its current directory before it exits.
            var path = ResolvePath(Environment.GetEnvironmentVariable(VariableName), Environment.CurrentDirectory);
            if (path is not null)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    // Handlers run in registration order and this one is registered first: the sender's sweep goes first.
                    ColdmodTracing.StopForExit();
                    Export(path, ColdmodModules.Modules);
                };
            }
        }
        catch (Exception e)
        {
            RuntimeLog.Report($"{VariableName} is ignored: {OneLine(e.Message)}");
        }
    }

    // Null when the variable is unset or blank: offline mode is off.
    public static string? ResolvePath(string? value, string currentDirectory) =>
        string.IsNullOrWhiteSpace(value) ? null : Path.GetFullPath(value, currentDirectory);

    // The exit path. Returns the file written, or null when none was; never throws, since the app is exiting and must
    // exit as it would have without Coldmod.
    public static string? Export(string path, IReadOnlyList<ModuleCounters> modules, int lockAttempts = DefaultLockAttempts)
    {
        try
        {
            return HeatmapFileStore.Save(path, Collect(path, modules), lockAttempts, s_lockDelay);
        }
        catch (Exception e)
        {
            RuntimeLog.Report($"cannot write the heatmap file {path}: {OneLine(e.Message)}");
            return null;
        }
    }

    // Every src of every module, with 0 for those never called. Copies of one assembly loaded in several load contexts
    // add up by key. A module whose srcs cannot be read has no file or line to write, only #index keys that mean
    // nothing to the CLI, so it is left out.
    private static List<HeatmapFileEntry> Collect(string path, IReadOnlyList<ModuleCounters> modules)
    {
        var entries = new Dictionary<string, HeatmapFileEntry>(StringComparer.Ordinal);
        var leftOut = new List<string>();
        foreach (var module in modules)
        {
            // Swept, not drained: a method whose probe has not marked it dirty yet still has calls to count.
            var hits = module.Drain(sweep: true);
            var table = module.Srcs;
            if (table is null)
            {
                if (module.MethodCount > 0)
                {
                    leftOut.Add($"{module.Name} ({module.MethodCount} probes)");
                }

                continue;
            }

            var counts = new Dictionary<string, HitCount>(StringComparer.Ordinal);
            foreach (var hit in hits)
            {
                counts[hit.Key] = hit;
            }

            foreach (var src in table.Entries)
            {
                var hit = counts.GetValueOrDefault(src.Key);
                var entry = entries.GetValueOrDefault(src.Key) ?? new HeatmapFileEntry(src.Key, 0, src.File, src.Line);
                entries[src.Key] = entry.Plus(hit.Count, hit.Estimated, Math.Sqrt(hit.EstimateVariance));
            }
        }

        foreach (var entry in entries.Values.ToList())
        {
            var sent = DrainLedger.TotalOf(entry.Key);
            if (sent.Count != 0)
            {
                entries[entry.Key] = entry.Plus(sent.Count, sent.Estimated, Math.Sqrt(sent.EstimateVariance));
            }
        }

        if (leftOut.Count > 0)
        {
            RuntimeLog.Report($"left out of the heatmap file {path}, because their srcs cannot be read: {string.Join(", ", leftOut)}.");
        }

        return [.. entries.Values];
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
