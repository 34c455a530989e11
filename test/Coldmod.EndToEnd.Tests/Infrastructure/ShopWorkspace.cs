using System.Xml.Linq;

namespace Coldmod.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A copy of samples/Shop in a directory of its own, set up as a user's checkout would be: the sample's
/// Directory.*.props (so nothing above leaks in), and its Coldmod reference pointing at the packed version.
/// </summary>
public sealed class ShopWorkspace
{
    private const string Configuration = "Release";
    private readonly PackagedColdmod _coldmod;
    private int _runCount;

    private ShopWorkspace(PackagedColdmod coldmod, string directory)
    {
        _coldmod = coldmod;
        Directory = directory;
    }

    public string Directory { get; }

    public string ProjectDirectory => Path.Combine(Directory, "Shop");

    public string ProjectFile => Path.Combine(ProjectDirectory, "Shop.csproj");

    public string RootMarker => Path.Combine(ProjectDirectory, "coldmod.rootmarker");

    /// <summary>The compiler's output in obj/, which Coldmod weaves in place.</summary>
    public string IntermediateAssembly => Path.Combine(ProjectDirectory, "obj", Configuration, "net10.0", "Shop.dll");

    public string OutputAssembly => Path.Combine(ProjectDirectory, "bin", Configuration, "net10.0", "Shop.dll");

    public string PublishedAssembly => Path.Combine(ProjectDirectory, "bin", Configuration, "net10.0", "publish", "Shop.dll");

    public static ShopWorkspace Create(PackagedColdmod coldmod, string directory)
    {
        var samples = Path.Combine(coldmod.RepositoryRoot, "samples");
        CopyDirectory(Path.Combine(samples, "Shop"), Path.Combine(directory, "Shop"));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            File.Copy(Path.Combine(samples, file), Path.Combine(directory, file));
        }

        var workspace = new ShopWorkspace(coldmod, directory);
        workspace.EditProject(project =>
        {
            var reference = project.Descendants("PackageReference").Single(r => (string?)r.Attribute("Include") == "Coldmod");
            reference.SetAttributeValue("Version", coldmod.Version);
        });
        return workspace;
    }

    public void EditProject(Action<XDocument> edit)
    {
        var project = XDocument.Load(ProjectFile, LoadOptions.PreserveWhitespace);
        edit(project);
        project.Save(ProjectFile);
    }

    /// <summary><c>dotnet build -c Release</c>, restoring from the test feed into the isolated packages folder.</summary>
    public Task<ProcessResult> BuildAsync(params string[] arguments) => DotNetBuildAsync("build", arguments);

    public Task<ProcessResult> PublishAsync(params string[] arguments) => DotNetBuildAsync("publish", arguments);

    /// <summary>Runs a built Shop.dll with <c>COLDMOD_HEATMAP_FILE</c> set, and reads the heatmap the runtime writes at exit.</summary>
    public async Task<(ProcessResult Run, Heatmap? Heatmap)> RunAsync(string assemblyPath, params string[] arguments)
    {
        var heatmapPath = Path.Combine(Directory, $"heatmap-{Interlocked.Increment(ref _runCount)}.json");
        var run = await _coldmod.DotNetAsync(
            ProjectDirectory,
            [assemblyPath, .. arguments],
            PackagedColdmod.RunTimeout,
            new Dictionary<string, string?> { ["COLDMOD_HEATMAP_FILE"] = heatmapPath });
        return (run, File.Exists(heatmapPath) ? Heatmap.Read(heatmapPath) : null);
    }

    /// <summary>Runs the installed coldmod tool in the project directory, as a user would.</summary>
    public Task<ProcessResult> ColdmodAsync(params string[] arguments) =>
        ChildProcess.RunAsync(_coldmod.ColdmodTool, arguments, ProjectDirectory, _coldmod.ChildEnvironment, PackagedColdmod.RunTimeout);

    private Task<ProcessResult> DotNetBuildAsync(string verb, string[] arguments) =>
        _coldmod.DotNetAsync(
            ProjectDirectory,
            [
                verb,
                "--configuration", Configuration,
                "--packages", _coldmod.PackagesFolder,
                "-nodeReuse:false",
                "-p:UseSharedCompilation=false",
                .. arguments,
            ],
            PackagedColdmod.BuildTimeout);

    private static void CopyDirectory(string source, string destination)
    {
        System.IO.Directory.CreateDirectory(destination);
        foreach (var file in System.IO.Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var child in System.IO.Directory.EnumerateDirectories(source))
        {
            // A developer may have built the sample in place; its outputs are not sources.
            if (Path.GetFileName(child) is not ("bin" or "obj"))
            {
                CopyDirectory(child, Path.Combine(destination, Path.GetFileName(child)));
            }
        }
    }
}
