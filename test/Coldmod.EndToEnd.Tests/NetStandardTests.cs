using System.Text.Json;
using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

/// <summary>Reads one woven build of a solution with a netstandard2.0 library, a multi-targeted one and a net8.0 app.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class NetStandardTests(PackagedColdmod coldmod)
{
    // What one run of the app calls, in all three assemblies; zero for the methods it never calls.
    private static readonly Dictionary<string, long> s_callsOfOneRun = new(StringComparer.Ordinal)
    {
        ["Shared.Greeter.Greet(System.String)"] = 2,
        ["Shared.Greeter.Shout(System.String)"] = 2,
        ["Shared.Greeter.Farewell(System.String)"] = 0,
        ["Shared.Tally.#ctor(System.Int32)"] = 1,
        ["Shared.Tally.Next"] = 4,
        ["Shared.Tally.Reset"] = 0,
        ["Multi.Platform.Name"] = 1,
        ["Multi.Platform.Unused"] = 0,
        ["App.Program.Main"] = 1,
        ["App.Program.Cold"] = 0,
    };

    [Fact]
    public async Task The_netstandard2_0_library_and_both_builds_of_the_multi_targeted_one_are_woven_against_netstandard()
    {
        var solution = await coldmod.LibrarySolutionAsync();

        var woven = solution.Build.Output.Split('\n').Where(l => l.Contains("Coldmod: wove", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.True(woven.Count == 4, solution.Build.Describe());
        Assert.Single(woven, l => l.EndsWith("wove 6 methods into Shared.dll", StringComparison.Ordinal));
        Assert.Equal(2, woven.Count(l => l.EndsWith("wove 2 methods into Multi.dll", StringComparison.Ordinal)));
        Assert.Single(woven, l => l.EndsWith("wove 2 methods into App.dll", StringComparison.Ordinal));

        foreach (var (project, framework) in new[] { ("Shared", "netstandard2.0"), ("Multi", "netstandard2.0"), ("Multi", "net8.0"), ("App", "net8.0") })
        {
            var assembly = solution.IntermediateAssembly(project, framework);
            Assert.Equal(1, AssemblyInspector.CountProbeTypes(assembly));
            using var image = File.OpenRead(assembly);
            var references = AssemblyInspector.ReferencedAssemblies(image);
            Assert.Contains("Coldmod.Runtime", references);

            // The probes are built against the module's own core library: a netstandard2.0 build gains no .NET reference.
            if (framework == "netstandard2.0")
            {
                Assert.Equal(["Coldmod.Runtime", "netstandard"], references.Order(StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public async Task A_run_of_the_net8_0_app_counts_the_calls_of_all_three_assemblies_exactly()
    {
        var solution = await coldmod.LibrarySolutionAsync();

        var (run, heatmap) = await solution.RunAsync();

        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("hello WORLD hello AGAIN 14 net8.0", run.Output, StringComparison.Ordinal);
        Assert.Contains("runtime .NETCoreApp,Version=v8.0", run.Output, StringComparison.Ordinal);
        AssertCounts(run, heatmap);
    }

    [Fact]
    public async Task The_netstandard2_0_runtime_of_the_package_counts_as_exactly_where_NET_loads_it()
    {
        var solution = await coldmod.LibrarySolutionAsync();

        // Exact mode: per-thread counters, drained behind the process-wide barrier the netstandard2.0 build binds at run time.
        var (run, heatmap) = await solution.RunAsync(solution.NetStandardRuntimeAppAssembly, new Dictionary<string, string?> { ["COLDMOD_COUNTS"] = "exact" });

        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("runtime .NETStandard,Version=v2.0", run.Output, StringComparison.Ordinal);
        Assert.False(run.Output.Contains("coldmod:", StringComparison.Ordinal), run.Describe());
        AssertCounts(run, heatmap);
    }

    [Fact]
    public async Task The_netstandard2_0_runtime_sends_its_counts_to_coldmod_serve_and_fetch_shows_them_exactly()
    {
        var solution = await coldmod.LibrarySolutionAsync();
        await using var server = await ColdmodServe.StartAsync(coldmod, solution.Directory, Path.Combine(solution.Directory, $"backend-{Guid.NewGuid():N}.db"));

        var run = await coldmod.DotNetAsync(solution.Directory, [solution.NetStandardRuntimeAppAssembly], PackagedColdmod.RunTimeout, server.Environment);

        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("runtime .NETStandard,Version=v2.0", run.Output, StringComparison.Ordinal);
        Assert.False(run.Output.Contains("coldmod:", StringComparison.Ordinal), run.Describe());
        var fetch = await ChildProcess.RunAsync(coldmod.ColdmodTool, ["fetch", "--all", "--format", "json"], solution.Directory, server.Environment, PackagedColdmod.RunTimeout);
        Assert.True(fetch.Succeeded, fetch.Describe());
        var json = fetch.Output[fetch.Output.IndexOf('{', StringComparison.Ordinal)..(fetch.Output.LastIndexOf('}') + 1)];
        var counts = JsonDocument.Parse(json).RootElement.GetProperty("entries").EnumerateArray()
            .ToDictionary(e => e.GetProperty("key").GetString()!, e => e.GetProperty("count").GetInt64(), StringComparer.Ordinal);
        Assert.Equal(s_callsOfOneRun.OrderBy(p => p.Key, StringComparer.Ordinal), counts.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    private static void AssertCounts(ProcessResult run, Heatmap? heatmap)
    {
        Assert.True(heatmap is not null, $"The app wrote no heatmap.\n{run.Describe()}");
        var counts = heatmap.Counts;
        Assert.Equal(s_callsOfOneRun.Keys.Order(StringComparer.Ordinal), counts.Keys.Order(StringComparer.Ordinal));
        var wrong = s_callsOfOneRun.Where(e => counts[e.Key] != e.Value).Select(e => $"{e.Key}: expected {e.Value}, counted {counts[e.Key]}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Contains(heatmap.Entries, e => e.Key == "Shared.Tally.Next" && e.File == "Shared/Tally.cs");
    }
}
