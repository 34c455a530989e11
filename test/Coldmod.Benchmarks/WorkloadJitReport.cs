using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Coldmod.Benchmarks;

/// <summary>
/// Compares the final Tier-1 compilation of every workload method (<c>Bench.Script.*</c>) in the unwoven and the
/// woven child of one <c>workload-jit</c> run: code size, calls left in the code, the probe's own instructions, and the
/// inlining decisions the JIT reported (the probe's own inlines set apart).
/// </summary>
internal static partial class WorkloadJitReport
{
    private const string Workload = "Bench.Script.";
    private const string Header = "; Assembly listing for method ";

    // MethodLoadVerbose's MethodFlags keep the optimization tier in bits 7-9; 4 is OptimizedTier1.
    private const int Tier1 = 4;

    public sealed record Run(Dictionary<string, Listing> Listings, Dictionary<string, List<Decision>> Decisions);

    public sealed record Listing(int Bytes, List<string> Calls, int ProbeCompares, int Pushes);

    public sealed record Decision(bool Inlined, string Inlinee, string Reason);

    public static Run Read(string jitOutput, string decisions) => new(Listings(jitOutput), Tier1Decisions(decisions));

    public static string Compare(Run unwoven, Run woven)
    {
        var text = new StringBuilder();
        var methods = unwoven.Listings.Keys.Intersect(woven.Listings.Keys).Order(StringComparer.Ordinal).ToList();
        var rooted = methods.Where(m => unwoven.Decisions.ContainsKey(m) && woven.Decisions.ContainsKey(m)).ToList();

        Line(text, $"workload methods with Tier-1 code in both: {methods.Count} (inlining decisions known for {rooted.Count})");
        Line(text, $"Tier-1 code bytes: unwoven {methods.Sum(m => unwoven.Listings[m].Bytes)}, woven {methods.Sum(m => woven.Listings[m].Bytes)}");
        Line(text, $"calls in Tier-1 code: unwoven {methods.Sum(m => unwoven.Listings[m].Calls.Count)}, woven {methods.Sum(m => woven.Listings[m].Calls.Count)}" +
            $" (of which to a probe method: {methods.Sum(m => woven.Listings[m].Calls.Count(IsProbeCall))})");
        Line(text, $"probe-shaped compares (cmp qword ptr [register or address], 0): unwoven {methods.Sum(m => unwoven.Listings[m].ProbeCompares)}, woven {methods.Sum(m => woven.Listings[m].ProbeCompares)}; pushes: unwoven {methods.Sum(m => unwoven.Listings[m].Pushes)}, woven {methods.Sum(m => woven.Listings[m].Pushes)}");
        Line(text, $"inlines of the user's and the framework's methods: unwoven {rooted.Sum(m => Inlined(unwoven, m).Count)}, woven {rooted.Sum(m => Inlined(woven, m).Count)}");
        Line(text, "inlining failures by reason (unwoven, woven):");
        var reasons = rooted.SelectMany(m => unwoven.Decisions[m].Concat(woven.Decisions[m])).Where(d => !d.Inlined).Select(d => d.Reason).Distinct().Order(StringComparer.Ordinal);
        foreach (var reason in reasons)
        {
            Line(text, $"  {Failures(unwoven, rooted, reason),5} {Failures(woven, rooted, reason),5}  {reason}");
        }

        Line(text, "");
        Line(text, "inlines lost by weaving, by callee (call sites over all roots; the woven compile's reason where it gave one):");
        var lost = new Dictionary<string, (int Sites, Dictionary<string, int> Reasons)>(StringComparer.Ordinal);
        foreach (var method in rooted)
        {
            var wovenInlined = Inlined(woven, method).CountBy(d => d.Inlinee).ToDictionary();
            foreach (var (callee, count) in Inlined(unwoven, method).CountBy(d => d.Inlinee))
            {
                var missing = count - wovenInlined.GetValueOrDefault(callee);
                if (missing <= 0)
                {
                    continue;
                }

                var entry = lost.GetValueOrDefault(callee, (Sites: 0, Reasons: new Dictionary<string, int>(StringComparer.Ordinal)));
                entry.Sites += missing;
                foreach (var failure in woven.Decisions[method].Where(d => !d.Inlined && d.Inlinee == callee))
                {
                    entry.Reasons[failure.Reason] = entry.Reasons.GetValueOrDefault(failure.Reason) + 1;
                }

                lost[callee] = entry;
            }
        }

        foreach (var (callee, entry) in lost.OrderByDescending(p => p.Value.Sites).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            var why = entry.Reasons.Count == 0 ? "not attempted (its caller was not inlined)" : string.Join(", ", entry.Reasons.Select(r => $"{r.Key} ×{r.Value}"));
            Line(text, $"  {entry.Sites,4}  {callee}: {why}");
        }

        Line(text, "");
        Line(text, "per method: Tier-1 bytes unwoven -> woven, calls unwoven -> woven, probe compares; calls the woven code makes that the unwoven does not");
        foreach (var method in methods)
        {
            var u = unwoven.Listings[method];
            var w = woven.Listings[method];
            Line(text, $"  {method,-44} {u.Bytes,5} -> {w.Bytes,5}  calls {u.Calls.Count,3} -> {w.Calls.Count,3}  probes {w.ProbeCompares,3}");
            var extra = w.Calls.CountBy(c => c).ToDictionary();
            foreach (var (call, count) in u.Calls.CountBy(c => c))
            {
                extra[call] = extra.GetValueOrDefault(call) - count;
            }

            foreach (var (call, count) in extra.Where(p => p.Value > 0).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Line(text, $"      +{count} {call}");
            }
        }

        return text.ToString();
    }

    private static bool IsProbeCall(string call) => call.Contains("<Coldmod>Probes:", StringComparison.Ordinal);

    private static bool IsProbe(string inlinee) =>
        inlinee.StartsWith("<Coldmod>Probes:", StringComparison.Ordinal) || inlinee.StartsWith("System.Threading.Interlocked:", StringComparison.Ordinal);

    private static List<Decision> Inlined(Run run, string method) => [.. run.Decisions[method].Where(d => d.Inlined && !IsProbe(d.Inlinee))];

    private static int Failures(Run run, List<string> methods, string reason) => methods.Sum(m => run.Decisions[m].Count(d => !d.Inlined && d.Reason == reason));

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    // The last Tier-1 listing of each workload method: not Tier 0, not instrumented, not an OSR variant.
    private static Dictionary<string, Listing> Listings(string path)
    {
        var listings = new Dictionary<string, Listing>(StringComparer.Ordinal);
        List<string>? current = null;
        string? name = null;
        foreach (var line in File.ReadLines(path).Append(Header))
        {
            if (line.StartsWith(Header, StringComparison.Ordinal))
            {
                if (name is not null && current is not null && IsTier1(current))
                {
                    listings[name] = Measure(current);
                }

                var full = line[Header.Length..];
                name = full.StartsWith(Workload, StringComparison.Ordinal) ? full[..full.IndexOf('(', StringComparison.Ordinal)] : null;
                current = [];
            }
            else
            {
                current?.Add(line);
            }
        }

        return listings;
    }

    private static bool IsTier1(List<string> listing) =>
        listing.Any(l => l.StartsWith("; Tier1", StringComparison.Ordinal)) &&
        !listing.Any(l => l.StartsWith("; OSR", StringComparison.Ordinal) || l.Contains("instrumented", StringComparison.Ordinal));

    private static Listing Measure(List<string> listing)
    {
        var bytes = listing.Where(l => l.StartsWith("; Total bytes of code ", StringComparison.Ordinal)).Select(l => int.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture)).LastOrDefault();
        var calls = listing.Where(l => CallPattern().IsMatch(l)).Select(l => WhiteSpace().Replace(l.Trim(), " ")).ToList();
        return new Listing(bytes, calls, listing.Count(l => ProbeComparePattern().IsMatch(l)), listing.Count(l => l.TrimStart().StartsWith("push ", StringComparison.Ordinal)));
    }

    // The decisions of each workload method's last Tier-1 compilation: a compilation's events come on one thread
    // between its MethodJittingStarted and its MethodLoadVerbose.
    private static Dictionary<string, List<Decision>> Tier1Decisions(string path)
    {
        var result = new Dictionary<string, List<Decision>>(StringComparer.Ordinal);
        var open = new Dictionary<string, (string Method, List<Decision> Decisions)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var f = line.Split('\t');
            switch (f[0])
            {
                case "start":
                    open[f[1]] = (f[2], []);
                    break;
                case "done":
                    if (open.Remove(f[1], out var compile) && compile.Method == f[2] && f[2].StartsWith(Workload, StringComparison.Ordinal) &&
                        ((int.Parse(f[3], CultureInfo.InvariantCulture) >> 7) & 7) == Tier1)
                    {
                        result[f[2]] = compile.Decisions;
                    }

                    break;
                case "inlined" when open.ContainsKey(f[1]):
                    open[f[1]].Decisions.Add(new Decision(true, f[4], ""));
                    break;
                case "failed" when open.ContainsKey(f[1]):
                    open[f[1]].Decisions.Add(new Decision(false, f[4], f[5]));
                    break;
            }
        }

        return result;
    }

    [GeneratedRegex(@"^\s+(call|jmp)\s+(?!\s)(?!(SHORT\s+)?G_M)")]
    private static partial Regex CallPattern();

    [GeneratedRegex(@"^\s+cmp\s+qword ptr \[\w+\], 0\s*$")]
    private static partial Regex ProbeComparePattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
