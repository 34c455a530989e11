using Coldmod.TestSupport;
using Coldmod.Weaver;

namespace Coldmod.Runtime.Tests;

// Offline mode for real: a woven app run with COLDMOD_HEATMAP_FILE writes its heatmap when it exits normally.
public sealed class HeatmapFileProcessTests : IDisposable
{
    private const string FirstRun =
        "{\"format\":1,\"entries\":[" +
        "{\"key\":\"HeatmapApp.Program.Main(System.String[])\",\"count\":3,\"file\":\"src/App/Program.cs\",\"line\":10}," +
        "{\"key\":\"HeatmapApp.Program.Unused\",\"count\":0,\"file\":\"src/App/Program.cs\",\"line\":20}," +
        "{\"key\":\"HeatmapApp.Worker.Run\",\"count\":5,\"file\":\"src/App/Worker.cs\",\"line\":5}" +
        "]}";

    private readonly TempDirectory _directory = new("coldmod-heatmap-app");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void An_app_run_with_the_variable_writes_its_heatmap_at_exit_and_later_runs_add_to_it()
    {
        var app = HeatmapApp.Build(_directory.Combine("app"));
        var started = _directory.Combine("ci");
        var movedTo = _directory.Combine("elsewhere");
        Directory.CreateDirectory(Path.Combine(started, "out"));
        Directory.CreateDirectory(movedTo);
        var heatmap = Path.Combine(started, "out", "heatmap.json");

        var first = HeatmapApp.Finish(HeatmapApp.Start(app, started, "out/heatmap.json", movedTo));

        Assert.Equal(new AppRun(0, "", ""), first);
        Assert.Equal(FirstRun, File.ReadAllText(heatmap));
        Assert.False(File.Exists(Path.Combine(movedTo, "out", "heatmap.json")));

        // Test processes of one CI job exiting at the same time, all with the same file.
        var concurrent = Enumerable.Range(0, 3).Select(_ => HeatmapApp.Start(app, started, heatmap, movedTo)).ToList();
        var runs = concurrent.Select(HeatmapApp.Finish).ToList();

        Assert.All(runs, run => Assert.Equal(new AppRun(0, "", ""), run));
        Assert.Equal(
            [
                new HeatmapEntry("HeatmapApp.Program.Main(System.String[])", 12, "src/App/Program.cs", 10),
                new HeatmapEntry("HeatmapApp.Program.Unused", 0, "src/App/Program.cs", 20),
                new HeatmapEntry("HeatmapApp.Worker.Run", 20, "src/App/Worker.cs", 5),
            ],
            HeatmapFile.Read(heatmap));
        Assert.Equal(["heatmap.json"], Directory.EnumerateFiles(Path.Combine(started, "out")).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Without_the_variable_an_app_writes_nothing()
    {
        var app = HeatmapApp.Build(_directory.Combine("app"));
        var started = _directory.Combine("ci");
        Directory.CreateDirectory(started);

        var run = HeatmapApp.Finish(HeatmapApp.Start(app, started, heatmapFile: null, started));

        Assert.Equal(new AppRun(0, "", ""), run);
        Assert.Empty(Directory.EnumerateFileSystemEntries(started));
    }
}
