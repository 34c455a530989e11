using System.Globalization;

namespace Coldmod.Benchmarks;

/// <summary>
/// <c>workload-jit [seconds] [runs] [dir]</c>: runs the workload's unwoven and woven copies, each alone in a child process, with
/// the JIT's disassembly of the workload's methods and its inlining decisions written to <c>dir</c>, then compares, run by run,
/// the final Tier-1 code of every workload method: code size, calls left in it, inlining failures and their reasons.
/// </summary>
internal static class WorkloadJit
{
    public static int Run(string[] args)
    {
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 6;
        var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        var directory = args.Length > 3 ? args[3] : Path.Combine(Path.GetTempPath(), $"coldmod-workload-jit-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        var targets = BenchTargets.Instance;

        // Tiering and PGO differ from run to run (what a method's profile saw before Tier 1), so the runs alternate.
        for (var run = 1; run <= runs; run++)
        {
            var copies = new Dictionary<string, WorkloadJitReport.Run>(StringComparer.Ordinal);
            foreach (var (name, path) in new[] { ("unwoven", targets.UnwovenPath), ("woven", targets.WovenPath) })
            {
                var jit = Path.Combine(directory, $"{name}.{run}.jit.txt");
                var decisions = Path.Combine(directory, $"{name}.{run}.inlines.tsv");
                var failure = RunChild(path, seconds, jit, decisions);
                if (failure is not null)
                {
                    Console.Error.WriteLine($"workload-jit: the {name} child of run {run} {failure}");
                    return 2;
                }

                copies[name] = WorkloadJitReport.Read(jit, decisions);
            }

            var report = WorkloadJitReport.Compare(copies["unwoven"], copies["woven"]);
            File.WriteAllText(Path.Combine(directory, $"report.{run}.txt"), report);
            Console.WriteLine($"// run {run}");
            Console.WriteLine(report[..report.IndexOf("\n\n", StringComparison.Ordinal)]);
        }

        Console.WriteLine($"// listings, decisions and full reports in {directory}");
        return 0;
    }

    /// <summary><c>workload-jit-report dir runs</c>: the reports again, from the files an earlier <c>workload-jit</c> left.</summary>
    public static int Report(string[] args)
    {
        var directory = args[1];
        for (var run = 1; run <= int.Parse(args[2], CultureInfo.InvariantCulture); run++)
        {
            var report = WorkloadJitReport.Compare(
                WorkloadJitReport.Read(Path.Combine(directory, $"unwoven.{run}.jit.txt"), Path.Combine(directory, $"unwoven.{run}.inlines.tsv")),
                WorkloadJitReport.Read(Path.Combine(directory, $"woven.{run}.jit.txt"), Path.Combine(directory, $"woven.{run}.inlines.tsv")));
            File.WriteAllText(Path.Combine(directory, $"report.{run}.txt"), report);
            Console.WriteLine($"// run {run}");
            Console.WriteLine(report[..report.IndexOf("\n\n", StringComparison.Ordinal)]);
        }

        return 0;
    }

    private static string? RunChild(string assemblyPath, int seconds, string jitOutput, string decisions)
    {
        var start = JitChild.Start(jitOutput, WorkloadJitChild.Command, assemblyPath, seconds.ToString(CultureInfo.InvariantCulture), decisions);
        start.Environment["DOTNET_JitDisasm"] = "Bench.Script.*:*";
        start.Environment["DOTNET_JitDisasmSummary"] = "1";
        return JitChild.Run(start);
    }
}
