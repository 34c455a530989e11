using System.Diagnostics;

namespace Coldmod.Runtime.Internal;

// Every ~100 ms (jittered, so that a periodic workload cannot hide between windows) gives the sampled methods of every
// module a short counting window, one length class after the other: 5 ms for most, down to 5 µs for the hottest, so
// that each window counts at most about its budget of calls and the rest of the time every probe stays quiet.
internal static class Sampler
{
    public static readonly TimeSpan MeanPeriod = TimeSpan.FromMilliseconds(100);

    private static int s_started;

    public static void EnsureStarted()
    {
        if (Volatile.Read(ref s_started) != 0 || Interlocked.Exchange(ref s_started, 1) != 0)
        {
            return;
        }

        try
        {
            new Thread(Run) { IsBackground = true, Name = "Coldmod sampler" }.Start();
        }
        catch (Exception e)
        {
            RuntimeLog.Report($"counts above the exact bound will not be estimated: the sampler thread did not start ({e.Message.ReplaceLineEndings(" ")})");
        }
    }

    private static void Run()
    {
        var random = new Random();
        try
        {
            ModuleCounters.WindowCallTicks = ModuleCounters.MeasureWindowCallTicks();
            while (true)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(MeanPeriod.TotalMilliseconds * (0.5 + random.NextDouble())));
                var modules = ColdmodModules.Modules;
                for (var lengthClass = 0; lengthClass < ModuleCounters.WindowLengths.Length; lengthClass++)
                {
                    // The first class also finds the methods that went quiet since the last pass.
                    if (lengthClass > 0 && !modules.Any(m => m.ClassMembers(lengthClass) > 0))
                    {
                        continue;
                    }

                    var now = Stopwatch.GetTimestamp();
                    foreach (var module in modules)
                    {
                        module.OpenWindow(now, lengthClass);
                    }

                    Wait(ModuleCounters.WindowLengths[lengthClass]);
                    now = Stopwatch.GetTimestamp();
                    foreach (var module in modules)
                    {
                        module.CloseWindow(now, lengthClass);
                    }
                }
            }
        }
        catch (Exception e)
        {
            RuntimeLog.Report($"counts above the exact bound are no longer estimated: the sampler stopped ({e.Message.ReplaceLineEndings(" ")})");
        }
    }

    // A sleep is as long as the scheduler makes it (a millisecond or more); windows shorter than that are spun.
    private static void Wait(TimeSpan length)
    {
        if (length >= TimeSpan.FromMilliseconds(2))
        {
            Thread.Sleep(length);
            return;
        }

        var until = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(20);
        }
    }
}
