using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Coldmod.Benchmarks;

internal static class Program
{
    // `load ...` runs the server load test; anything else goes to BenchmarkDotNet, in-process, because the
    // targets are compiled and woven at set-up, which a generated benchmark project could not do.
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "load")
        {
            return await ServerLoad.RunAsync(args);
        }

        if (args.Length > 0 && args[0] is "heatmap-scale" or "screenshot")
        {
            return await HeatmapPageBench.RunAsync(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(
            args,
            DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)));
        return 0;
    }
}
