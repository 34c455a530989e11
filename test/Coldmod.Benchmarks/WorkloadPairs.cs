using System.Diagnostics;
using System.Globalization;

namespace Coldmod.Benchmarks;

/// <summary>
/// <c>workload-pairs [pairs] [warmup passes]</c>: the Workload benchmark's two copies timed pass by pass, alternately, in one
/// process, each pass after a full collection so both start from the same heap. Interleaving puts the host's slow spells
/// on both copies alike, which a BenchmarkDotNet run (all unwoven iterations, then all woven ones) cannot; the median of the
/// pairs' ratios is the figure. A check on BenchmarkDotNet's ratio, not a replacement for it.
/// </summary>
internal static class WorkloadPairs
{
    public static int Run(string[] args)
    {
        var pairs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var warmup = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 150;
        var workload = new Workload();
        workload.Setup();

        // Enough passes for both copies to reach their final tier (Tier-1 with PGO) before any is timed.
        for (var pass = 0; pass < warmup; pass++)
        {
            workload.Unwoven();
            workload.Woven();
        }

        var ratios = new double[pairs];
        var unwovenTimes = new double[pairs];
        var wovenTimes = new double[pairs];
        for (var pair = 0; pair < pairs; pair++)
        {
            // Alternate which copy goes first, so neither always runs right after a collection of the other's garbage.
            var wovenFirst = (pair & 1) == 1;
            var first = Time(wovenFirst ? workload.Woven : workload.Unwoven);
            var second = Time(wovenFirst ? workload.Unwoven : workload.Woven);
            unwovenTimes[pair] = wovenFirst ? second : first;
            wovenTimes[pair] = wovenFirst ? first : second;
            ratios[pair] = wovenTimes[pair] / unwovenTimes[pair];
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// workload-pairs: {pairs} pairs; unwoven median {Median(unwovenTimes):F2} ms, woven median {Median(wovenTimes):F2} ms; " +
            $"woven/unwoven: median {Median(ratios):F4}, quartiles {Quantile(ratios, 0.25):F4}..{Quantile(ratios, 0.75):F4}"));
        return 0;
    }

    private static double Time(Func<long> pass)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var start = Stopwatch.GetTimestamp();
        pass();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(double[] values) => Quantile(values, 0.5);

    private static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }
}
