using System.Globalization;

namespace Coldmod.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Packs Coldmod and Coldmod.Cli from this checkout once for all end-to-end tests, into a temporary feed, under a
/// version no earlier run used, so no NuGet cache can serve a stale package; then installs the coldmod tool from it.
/// Everything lives under one temporary directory: the feed, an isolated packages folder, the tool, the workspaces.
/// </summary>
public sealed class PackagedColdmod : IAsyncLifetime
{
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(8);
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    private Task<WovenShop>? _wovenShop;
    private Task<LibrarySolution>? _librarySolution;
    private int _workspaceCount;

    public PackagedColdmod()
    {
        RepositoryRoot = FindRepositoryRoot();
        Root = Path.Combine(Path.GetTempPath(), $"coldmod-e2e-{Guid.NewGuid():N}");
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        Version = $"0.1.0-e2e.{stamp}.{System.Environment.ProcessId}";
    }

    public string RepositoryRoot { get; }

    /// <summary>The temporary directory holding everything the tests create.</summary>
    public string Root { get; }

    public string Version { get; }

    public string Feed => Path.Combine(Root, "feed");

    public string PackagesFolder => Path.Combine(Root, "packages");

    public string ToolPath => Path.Combine(Root, "tools");

    public string ColdmodTool => Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "coldmod.exe" : "coldmod");

    public string CoreNupkg => Path.Combine(Feed, $"Coldmod.{Version}.nupkg");

    public string CliNupkg => Path.Combine(Feed, $"Coldmod.Cli.{Version}.nupkg");

    /// <summary>What every child process gets: no telemetry or banners, no build servers outliving the test, and the isolated packages folder.</summary>
    public IReadOnlyDictionary<string, string?> ChildEnvironment => new Dictionary<string, string?>
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_CLI_UI_LANGUAGE"] = "en",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["NUGET_PACKAGES"] = PackagesFolder,
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(PackagesFolder);

        // Restores below the root get Coldmod from the feed (a version no other source has) and its gRPC
        // dependencies from the machine's sources, into a packages folder of their own.
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{PackagesFolder}" />
              </config>
              <packageSources>
                <add key="coldmod-e2e" value="{Feed}" />
              </packageSources>
            </configuration>
            """);

        await PackAsync();
        await InstallToolAsync();
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process the OS has not reaped yet may hold a file; temp is cleaned eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>A fresh copy of samples/Shop that references the packed Coldmod, in its own directory under <see cref="Root"/>.</summary>
    public ShopWorkspace CreateShop(string name) =>
        ShopWorkspace.Create(this, Path.Combine(Root, $"{Interlocked.Increment(ref _workspaceCount):00}-{name}"));

    /// <summary>One woven Release build of the sample, shared by the tests that only read it.</summary>
    public Task<WovenShop> WovenShopAsync() => LazyInitializer.EnsureInitialized(ref _wovenShop, () => WovenShop.BuildAsync(this));

    /// <summary>One woven Release build of a solution with netstandard2.0 and multi-targeted libraries, shared by the tests that only read it.</summary>
    public Task<LibrarySolution> LibrarySolutionAsync() => LazyInitializer.EnsureInitialized(
        ref _librarySolution,
        () => LibrarySolution.BuildAsync(this, Path.Combine(Root, $"{Interlocked.Increment(ref _workspaceCount):00}-libraries")));

    public Task<ProcessResult> DotNetAsync(string workingDirectory, IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        var environment = new Dictionary<string, string?>(ChildEnvironment);
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return ChildProcess.RunAsync(ChildProcess.DotNetHost, arguments, workingDirectory, environment, timeout);
    }

    private async Task PackAsync()
    {
        // One project at a time (dotnet pack takes one); the second reuses what the first built in the same artifacts path.
        foreach (var (project, package) in new[] { ("Coldmod.Runtime", CoreNupkg), ("Coldmod.Cli", CliNupkg) })
        {
            var result = await PackAsync(Path.Combine(RepositoryRoot, project, project + ".csproj"));
            if (!File.Exists(package))
            {
                throw new InvalidOperationException($"dotnet pack did not produce {package}.\n{result.Describe()}");
            }
        }
    }

    private async Task<ProcessResult> PackAsync(string project)
    {
        // --artifacts-path keeps this build's bin/ and obj/ out of the checkout, where other test projects are running;
        // the machine's packages cache serves the Coldmod projects' own dependencies: only the sample is isolated.
        var environment = new Dictionary<string, string?>(ChildEnvironment) { ["NUGET_PACKAGES"] = null };
        var result = await ChildProcess.RunAsync(
            ChildProcess.DotNetHost,
            [
                "pack",
                project,
                "--configuration", "Release",
                "--output", Feed,
                "--artifacts-path", Path.Combine(Root, "artifacts"),
                $"-p:Version={Version}",
                "-p:UseSharedCompilation=false",
                "-nodeReuse:false",
            ],
            RepositoryRoot,
            environment,
            PackTimeout);
        return result.EnsureSuccess();
    }

    private async Task InstallToolAsync()
    {
        var result = await DotNetAsync(
            Root,
            ["tool", "install", "Coldmod.Cli", "--version", Version, "--tool-path", ToolPath, "--configfile", Path.Combine(Root, "nuget.config")],
            BuildTimeout);
        result.EnsureSuccess();
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Coldmod.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Coldmod.sln above {AppContext.BaseDirectory}: the end-to-end tests pack the checkout they were built from.");
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PackagedColdmod>
{
    public const string Name = "Coldmod end to end";
}
