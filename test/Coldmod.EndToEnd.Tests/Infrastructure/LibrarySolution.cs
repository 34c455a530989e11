using System.IO.Compression;

namespace Coldmod.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A user's solution with shared libraries, each project referencing the packed Coldmod with weaving on: Shared, a
/// netstandard2.0 library; Multi, a library for netstandard2.0 and net8.0; App, a net8.0 app that calls both. One
/// coldmod.rootmarker at the root covers all three.
/// </summary>
public sealed class LibrarySolution
{
    public const string Configuration = "Release";
    public const string SolutionFile = "Libraries.slnx";

    private readonly PackagedColdmod _coldmod;
    private int _runCount;

    private LibrarySolution(PackagedColdmod coldmod, string directory, ProcessResult build)
    {
        _coldmod = coldmod;
        Directory = directory;
        Build = build;
    }

    public string Directory { get; }

    /// <summary>The output of <c>dotnet build</c> of the whole solution.</summary>
    public ProcessResult Build { get; }

    public string AppDirectory => Path.Combine(Directory, "App", "bin", Configuration, "net8.0");

    public string AppAssembly => Path.Combine(AppDirectory, "App.dll");

    public string IntermediateAssembly(string project, string targetFramework) =>
        Path.Combine(Directory, project, "obj", Configuration, targetFramework, project + ".dll");

    public static async Task<LibrarySolution> BuildAsync(PackagedColdmod coldmod, string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var samples = Path.Combine(coldmod.RepositoryRoot, "samples");
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            File.Copy(Path.Combine(samples, file), Path.Combine(directory, file));
        }

        Write(directory, "coldmod.rootmarker", "# Coldmod traces the methods whose source is under this directory.\n");
        Write(directory, SolutionFile, """
            <Solution>
              <Project Path="Shared/Shared.csproj" />
              <Project Path="Multi/Multi.csproj" />
              <Project Path="App/App.csproj" />
            </Solution>
            """);
        Write(directory, "Shared/Shared.csproj", Project("<TargetFramework>netstandard2.0</TargetFramework>", coldmod.Version));
        Write(directory, "Shared/Greeter.cs", """
            namespace Shared;

            public static class Greeter
            {
                public static string Greet(string name) => "hello " + Shout(name);

                public static string Farewell(string name) => "bye " + name;

                private static string Shout(string name) => name.ToUpperInvariant();
            }
            """);
        Write(directory, "Shared/Tally.cs", """
            namespace Shared;

            public sealed class Tally
            {
                private int _value;

                public Tally(int start)
                {
                    _value = start;
                }

                public int Next() => ++_value;

                public void Reset() => _value = 0;
            }
            """);
        Write(directory, "Multi/Multi.csproj", Project("<TargetFrameworks>netstandard2.0;net8.0</TargetFrameworks>", coldmod.Version));
        Write(directory, "Multi/Platform.cs", """
            namespace Multi;

            public static class Platform
            {
                // Each build's methods on the same lines, so that the CLI reads one location per key from both builds.
            #if NET
                private const string Framework = "net8.0";
            #else
                private const string Framework = "netstandard2.0";
            #endif

                public static string Name() => Framework;

                public static string Unused() => "never called";
            }
            """);
        Write(directory, "App/App.csproj", Project(
            """
            <OutputType>Exe</OutputType>
                <TargetFramework>net8.0</TargetFramework>
                <!-- A net8.0 app on a machine that may have only a newer .NET: it runs on the newest installed. -->
                <RollForward>Major</RollForward>
            """,
            coldmod.Version,
            """<ProjectReference Include="../Shared/Shared.csproj" /><ProjectReference Include="../Multi/Multi.csproj" />"""));
        Write(directory, "App/Program.cs", """
            using Shared;

            namespace App;

            internal static class Program
            {
                private static void Main()
                {
                    // Offline runs (COLDMOD_HEATMAP_FILE) need no call; a run against a server does.
                    if (System.Environment.GetEnvironmentVariable("COLDMOD_GRPC_HOST") is not null)
                    {
                        Coldmod.Runtime.ColdmodTracing.Start();
                    }

                    var tally = new Tally(10);
                    for (var i = 0; i < 3; i++)
                    {
                        tally.Next();
                    }

                    System.Console.WriteLine(Greeter.Greet("world") + " " + Greeter.Greet("again") + " " + tally.Next() + " " + Multi.Platform.Name());

                    // Which build of Coldmod.Runtime the probes count into.
                    var runtime = typeof(Coldmod.Runtime.ColdmodModules).Assembly;
                    System.Console.WriteLine("runtime " + System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>(runtime)?.FrameworkName);
                }

                private static void Cold() => System.Console.WriteLine("never called");
            }
            """);

        var build = await coldmod.DotNetAsync(
            directory,
            ["build", SolutionFile, "--configuration", Configuration, "--packages", coldmod.PackagesFolder, "-nodeReuse:false", "-p:UseSharedCompilation=false"],
            PackagedColdmod.BuildTimeout);
        var solution = new LibrarySolution(coldmod, directory, build.EnsureSuccess());
        solution.CopyAppOntoNetStandardRuntime(directory + "-app-on-netstandard-runtime");
        return solution;
    }

    /// <summary>
    /// A copy of the app's output, outside the solution (so the CLI does not read it as a build of its own), with the
    /// package's lib/netstandard2.0 Coldmod.Runtime in place of the net8.0 one NuGet chose: as a host that loads
    /// netstandard2.0 plugins with their own dependencies would run them.
    /// </summary>
    public string NetStandardRuntimeAppAssembly { get; private set; } = "";

    /// <summary>Runs App.dll (or the one given) with <c>COLDMOD_HEATMAP_FILE</c> set, and reads the heatmap written at exit.</summary>
    public async Task<(ProcessResult Run, Heatmap? Heatmap)> RunAsync(string? appAssembly = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var heatmapPath = Path.Combine(Directory, $"heatmap-{Interlocked.Increment(ref _runCount)}.json");
        var run = await _coldmod.DotNetAsync(
            Directory,
            [appAssembly ?? AppAssembly],
            PackagedColdmod.RunTimeout,
            new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["COLDMOD_HEATMAP_FILE"] = heatmapPath });
        return (run, File.Exists(heatmapPath) ? Heatmap.Read(heatmapPath) : null);
    }

    private void CopyAppOntoNetStandardRuntime(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        foreach (var file in System.IO.Directory.EnumerateFiles(AppDirectory))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        using (var package = ZipFile.OpenRead(_coldmod.CoreNupkg))
        {
            package.GetEntry("lib/netstandard2.0/Coldmod.Runtime.dll")!.ExtractToFile(Path.Combine(directory, "Coldmod.Runtime.dll"), overwrite: true);
        }

        NetStandardRuntimeAppAssembly = Path.Combine(directory, "App.dll");
    }

    private static string Project(string properties, string coldmodVersion, string references = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            {properties}
            <Nullable>enable</Nullable>
            <LangVersion>latest</LangVersion>
            <!-- No apphost: a net8.0 one is a download of its own, and `dotnet App.dll` needs none. -->
            <UseAppHost>false</UseAppHost>
            <ColdmodWeave>true</ColdmodWeave>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Coldmod" Version="{coldmodVersion}" />
            {references}
          </ItemGroup>
        </Project>
        """;

    private static void Write(string directory, string relativePath, string content)
    {
        var path = Path.Combine(directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
