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
    private const string CodeSize = "; Total bytes of code ";
    private const string Leaf = "Bench.Target:WorkA";

    // Tiering waits for call counts and a quiet period (longer on a busy machine): a child that ran too
    // briefly to reach Tier 1 is run again for longer.
    private static readonly int[] s_childSeconds = [3, 10, 30];

    private static readonly (string Method, string Getter)[] s_callers =
    [
        ("Bench.Inlining.LowGetterLoop:Run", "Bench.Inlining.LowIndexBox:get_Value"),
        ("Bench.Inlining.HighGetterLoop:Run", "Bench.Inlining.HighIndexBox:get_Value"),
    ];

    public static int Run()
    {
        var targets = BenchTargets.Instance;
        var output = Path.Combine(Path.GetTempPath(), $"coldmod-disasm-{Environment.ProcessId}.txt");
        var listings = new List<List<string>>();
        var missing = new List<string>();
        foreach (var seconds in s_childSeconds)
        {
            File.Delete(output);
            var failure = RunChild(targets.WovenPath, output, seconds);
            if (failure is not null)
            {
                Console.Error.WriteLine($"disasm: {failure}");
                return 2;
            }

            listings = Listings(File.ReadAllLines(output));
            missing = [.. s_callers.Select(c => c.Method).Append(Leaf).Where(method => Tier1(listings, method) is null)];
            if (missing.Count == 0)
            {
                break;
            }
        }

        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"disasm: no Tier-1 code for {string.Join(", ", missing)} in {output}, after running for {s_childSeconds[^1]} s.");
            return 2;
        }

        Console.WriteLine($"// woven assembly: {targets.WovenPath}");
        Console.WriteLine($"// probe indices: low getter {targets.ProbeIndex(BenchTargets.LowGetterKey)}, high getter {targets.ProbeIndex(BenchTargets.HighGetterKey)}, of {targets.Srcs.Count} srcs");
        foreach (var method in s_callers.Select(c => c.Method).Append(Leaf).Concat(s_callers.Select(c => c.Getter)))
        {
            if (Tier1(listings, method) is { } listing)
            {
                Console.WriteLine();
                Console.WriteLine(string.Join(Environment.NewLine, listing));
            }
        }

        Console.WriteLine();
        foreach (var method in s_callers.Select(c => c.Method).Append(Leaf).Concat(s_callers.Select(c => c.Getter)))
        {
            var size = Tier1(listings, method)?.LastOrDefault(line => line.StartsWith(CodeSize, StringComparison.Ordinal));
            Console.WriteLine($"{method}: {(size is null ? "no Tier-1 code of its own" : size[CodeSize.Length..] + " bytes of Tier-1 code")}");
        }

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

    // Null when the child ran to the end; otherwise what went wrong.
    private static string? RunChild(string wovenPath, string output, int seconds)
    {
        var start = JitChild.Start(output, ChildCommand, wovenPath, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["DOTNET_JitDisasm"] = string.Join(' ', s_callers.SelectMany(c => new[] { c.Method, c.Getter }).Append(Leaf));
        return JitChild.Run(start);
    }

    // The child: load the woven copy alone (so the disassembly can only be of woven code) and keep calling
    // until tiered compilation, with its call counting, delay and PGO stage, has reached Tier 1.
    public static int Child(string wovenPath, int seconds)
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
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
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

    // A call the disassembly names: direct calls and calls through an indirection cell both carry the
    // callee's name, so a getter that was not inlined shows up here whatever the probe looks like.
    private static bool IsCall(string line)
    {
        var instruction = line.TrimStart();
        return instruction.StartsWith("call", StringComparison.Ordinal) || instruction.StartsWith("jmp", StringComparison.Ordinal);
    }
}
