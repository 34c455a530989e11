using System.Diagnostics;
using System.Reflection;

namespace Coldmod.Benchmarks;

/// <summary>
/// <c>disasm</c>: runs the woven getter loops and a woven leaf in a child process until the JIT has
/// compiled them at Tier 1, with the JIT's disassembly written to a file, then prints the Tier-1 code
/// of the callers and the leaf and checks that the callers do not call the getters (the getter was
/// inlined). It assumes nothing about the probe's shape. Exit code 0 when both getters are inlined,
/// 1 when one is not, 2 when no Tier-1 code could be obtained.
/// </summary>
internal static class Disasm
{
    public const string ChildCommand = "disasm-child";

    private const string Header = "; Assembly listing for method ";
    private static readonly TimeSpan s_childRun = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_childTimeout = TimeSpan.FromSeconds(120);

    private static readonly (string Method, string Getter)[] s_callers =
    [
        ("Bench.Inlining.LowGetterLoop:Run", "Bench.Inlining.LowIndexBox:get_Value"),
        ("Bench.Inlining.HighGetterLoop:Run", "Bench.Inlining.HighIndexBox:get_Value"),
    ];

    private const string Leaf = "Bench.Target:WorkA";

    public static int Run()
    {
        var targets = BenchTargets.Instance;
        var output = Path.Combine(Path.GetTempPath(), $"coldmod-disasm-{Environment.ProcessId}.txt");
        File.Delete(output);
        var start = ChildStart(targets.WovenPath);
        start.Environment["DOTNET_JitDisasm"] = string.Join(' ', s_callers.SelectMany(c => new[] { c.Method, c.Getter }).Append(Leaf));
        start.Environment["DOTNET_JitStdOutFile"] = output;
        using (var child = Process.Start(start) ?? throw new InvalidOperationException("The disasm child process did not start."))
        {
            if (!child.WaitForExit(s_childTimeout))
            {
                child.Kill();
                Console.Error.WriteLine($"disasm: the child process did not finish within {s_childTimeout.TotalSeconds:F0} s; it was stopped.");
                return 2;
            }

            if (child.ExitCode != 0)
            {
                Console.Error.WriteLine($"disasm: the child process failed with exit code {child.ExitCode}.");
                return 2;
            }
        }

        if (!File.Exists(output))
        {
            Console.Error.WriteLine($"disasm: the JIT wrote no disassembly to {output}; this runtime may not honour DOTNET_JitStdOutFile.");
            return 2;
        }

        var listings = Listings(File.ReadAllLines(output));
        Console.WriteLine($"// woven assembly: {targets.WovenPath}");
        Console.WriteLine($"// probe indices: low getter {targets.ProbeIndex(BenchTargets.LowGetterKey)}, high getter {targets.ProbeIndex(BenchTargets.HighGetterKey)}, of {targets.Srcs.Count} srcs");
        var missing = new List<string>();
        foreach (var method in s_callers.Select(c => c.Method).Append(Leaf).Concat(s_callers.Select(c => c.Getter)))
        {
            var listing = Tier1(listings, method);
            if (listing is null)
            {
                if (!s_callers.Any(c => c.Getter == method))
                {
                    missing.Add(method);
                }

                continue;
            }

            Console.WriteLine();
            Console.WriteLine(string.Join(Environment.NewLine, listing));
        }

        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"disasm: no Tier-1 code for {string.Join(", ", missing)} in {output}.");
            return 2;
        }

        Console.WriteLine();
        var allInlined = true;
        foreach (var (method, getter) in s_callers)
        {
            var getterName = getter[(getter.LastIndexOf(':') + 1)..];
            var typeName = getter[..getter.LastIndexOf(':')];
            var calls = Tier1(listings, method)!
                .Where(line => IsCall(line) && line.Contains(typeName + ":" + getterName, StringComparison.Ordinal))
                .ToList();
            allInlined &= calls.Count == 0;
            Console.WriteLine(calls.Count == 0
                ? $"inlined: {getter} is not called by the Tier-1 code of {method}"
                : $"NOT inlined: the Tier-1 code of {method} calls {getter}: {calls[0].Trim()}");
        }

        return allInlined ? 0 : 1;
    }

    // The child: load the woven copy alone (so the disassembly can only be of woven code) and keep calling
    // until tiered compilation, with its call counting, delay and PGO stage, has reached Tier 1.
    public static int RunChild(string wovenPath)
    {
        var woven = Assembly.LoadFrom(wovenPath);
        var loops = new[]
        {
            BenchTargets.InstanceLoop(woven, "Bench.Inlining.LowGetterLoop", 1024),
            BenchTargets.InstanceLoop(woven, "Bench.Inlining.HighGetterLoop", 1024),
            BenchTargets.StaticLoop(woven, "Bench.Target", "LoopA"),
        };
        var clock = Stopwatch.StartNew();
        long sink = 0;
        while (clock.Elapsed < s_childRun)
        {
            foreach (var loop in loops)
            {
                sink += loop(200);
            }

            Thread.Sleep(1);
        }

        Console.WriteLine($"// disasm child: done, checksum {sink}");
        return 0;
    }

    private static ProcessStartInfo ChildStart(string wovenPath)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown; cannot start the disasm child.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Disasm).Assembly.Location);
        }

        start.ArgumentList.Add(ChildCommand);
        start.ArgumentList.Add(wovenPath);
        return start;
    }

    private static List<List<string>> Listings(string[] lines)
    {
        var listings = new List<List<string>>();
        foreach (var line in lines)
        {
            if (line.StartsWith(Header, StringComparison.Ordinal))
            {
                listings.Add([]);
            }

            listings.LastOrDefault()?.Add(line);
        }

        return listings;
    }

    // The last full-method Tier-1 listing of the method: not Tier 0, not instrumented, not an OSR variant.
    private static List<string>? Tier1(List<List<string>> listings, string method) =>
        listings.LastOrDefault(listing =>
            listing[0].StartsWith(Header + method + "(", StringComparison.Ordinal) &&
            listing.Any(line => line.StartsWith("; Tier1", StringComparison.Ordinal) || line.StartsWith("; Tier-1", StringComparison.Ordinal)) &&
            !listing.Any(line => line.StartsWith("; OSR", StringComparison.Ordinal) || line.Contains("instrumented", StringComparison.Ordinal)));

    private static bool IsCall(string line)
    {
        var instruction = line.TrimStart();
        return instruction.StartsWith("call", StringComparison.Ordinal) || instruction.StartsWith("jmp", StringComparison.Ordinal);
    }
}
