using System.Diagnostics;

namespace Coldmod.Runtime.Internal;

// Opens a short counting window on every sampled method of every module every ~100 ms (jittered, so that a periodic
// workload cannot hide between windows), and closes it 5 ms later. A hot method pays at most WindowBudget counted
// calls a window; everything else about it stays on the one-compare path.
internal static class Sampler
{
    public static readonly TimeSpan MeanPeriod = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan WindowLength = TimeSpan.FromMilliseconds(5);

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
                var now = Stopwatch.GetTimestamp();
                foreach (var module in modules)
                {
                    module.OpenWindow(now);
                }

                Thread.Sleep(WindowLength);
                now = Stopwatch.GetTimestamp();
                foreach (var module in modules)
                {
                    module.CloseWindow(now);
                }
            }
        }
        catch (Exception e)
        {
            RuntimeLog.Report($"counts above the exact bound are no longer estimated: the sampler stopped ({e.Message.ReplaceLineEndings(" ")})");
        }
    }
}
