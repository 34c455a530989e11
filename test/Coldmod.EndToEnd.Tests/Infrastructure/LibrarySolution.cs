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
            #if NET
                public static string Name() => "net8.0";
            #else
                public static string Name() => "netstandard2.0";
            #endif

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
        return new LibrarySolution(coldmod, directory, build.EnsureSuccess());
    }

    /// <summary>Runs App.dll (or the one given) with <c>COLDMOD_HEATMAP_FILE</c> set, and reads the heatmap written at exit.</summary>
    public async Task<(ProcessResult Run, Heatmap? Heatmap)> RunAsync(string? appAssembly = null)
    {
        var heatmapPath = Path.Combine(Directory, $"heatmap-{Interlocked.Increment(ref _runCount)}.json");
        var run = await _coldmod.DotNetAsync(
            Directory,
            [appAssembly ?? AppAssembly],
            PackagedColdmod.RunTimeout,
            new Dictionary<string, string?> { ["COLDMOD_HEATMAP_FILE"] = heatmapPath });
        return (run, File.Exists(heatmapPath) ? Heatmap.Read(heatmapPath) : null);
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
