using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Coldmod.Benchmarks;

internal static class Program
{
    // `load ...` runs the server load test; `disasm` prints the Tier-1 code of the woven getters' callers
    // (through a child process it starts); anything else goes to BenchmarkDotNet, in-process, because the
    // targets are compiled and woven at set-up, which a generated benchmark project could not do.
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "load")
        {
            return await ServerLoad.RunAsync(args);
        }

        if (args.Length > 0 && args[0] == "load-stores")
        {
            return await ServerLoad.RunStoresAsync(args);
        }

        if (args.Length > 0 && args[0] is "heatmap-scale" or "screenshot")
        {
            return await HeatmapPageBench.RunAsync(args);
        }

        if (args.Length > 0 && args[0] == "disasm")
        {
            return Disasm.Run();
        }

        if (args.Length > 0 && args[0] == "workload-pairs")
        {
            return WorkloadPairs.Run(args);
        }

        if (args.Length > 0 && args[0] == "workload-jit")
        {
            return WorkloadJit.Run(args);
        }

        if (args.Length == 3 && args[0] == "workload-jit-report")
        {
            return WorkloadJit.Report(args);
        }

        if (args.Length == 4 && args[0] == WorkloadJitChild.Command)
        {
            return WorkloadJitChild.Run(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3]);
        }

        if (args.Length == 3 && args[0] == Disasm.ChildCommand)
        {
            return Disasm.Child(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        }

        // A mutator, so that a class's own [SimpleJob] runs in-process too instead of beside a second, default job.
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(
            args,
            DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsMutator()));
        return 0;
    }
}
