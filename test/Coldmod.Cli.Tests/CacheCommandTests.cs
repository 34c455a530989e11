using System.Collections.Concurrent;
using Coldmod.Cli.Commands;
using Coldmod.TestSupport;
using Coldmod.Weaver;

namespace Coldmod.Cli.Tests;

// Each test gets its own checkout: they rebuild assemblies, edit the rootmarker and damage cache entries.
public sealed class CacheCommandTests : IDisposable
{
    private readonly SampleCheckout _sample = new();

    private string CacheDirectory => Path.Combine(_sample.Root, SrcsCache.DirectoryName);

    public void Dispose() => _sample.Dispose();

    [Fact]
    public void Srcs_after_warm_scans_nothing_and_prints_what_an_uncached_run_prints()
    {
        var (uncached, uncachedScans) = RunCounting("srcs", "--no-cache");
        Assert.False(Directory.Exists(CacheDirectory), "--no-cache must not write the cache.");
        Assert.Equal(ExitCodes.Success, uncached.ExitCode);
        Assert.NotEmpty(uncachedScans);

        var (warm, warmScans) = RunCounting("cache", "warm");
        Assert.Equal(ExitCodes.Success, warm.ExitCode);
        Assert.Equal("cached 3 assemblies (14 srcs) in .coldmod-cache/\n", warm.Out);
        Assert.Equal(uncachedScans.Order(StringComparer.Ordinal), warmScans.Order(StringComparer.Ordinal));

        var (cached, cachedScans) = RunCounting("srcs");
        Assert.Empty(cachedScans);
        Assert.Equal(uncached, cached);
    }

    [Fact]
    public void The_cache_keeps_itself_out_of_git_status()
    {
        Git("init", "--quiet");
        var before = Git("status", "--porcelain", "--untracked-files=all");

        var (warm, _) = RunCounting("cache", "warm");

        Assert.Equal(ExitCodes.Success, warm.ExitCode);
        Assert.NotEmpty(Directory.GetFiles(CacheDirectory, "*.json"));
        Assert.Equal(before, Git("status", "--porcelain", "--untracked-files=all"));
    }

    private string Git(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = _sample.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var git = System.Diagnostics.Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        git.StandardError.ReadToEnd();
        Assert.True(git.WaitForExit(TimeSpan.FromSeconds(30)), "git did not finish");
        Assert.Equal(0, git.ExitCode);
        return output;
    }

    [Fact]
    public void Fetch_reads_the_builds_through_the_cache()
    {
        var heatmap = Path.Combine(_sample.Root, "heatmap.json");
        File.WriteAllText(heatmap, FetchCommandTests.Heatmap);
        var (uncached, uncachedScans) = RunCounting("fetch", "--from", heatmap, "--no-cache");
        Assert.Equal(ExitCodes.Success, uncached.ExitCode);
        Assert.NotEmpty(uncachedScans);
        RunCounting("cache", "warm");

        var (cached, scans) = RunCounting("fetch", "--from", heatmap);

        Assert.Empty(scans);
        Assert.Equal(uncached, cached);
    }

    [Fact]
    public void A_rebuilt_assembly_is_scanned_again_and_its_new_srcs_are_listed()
    {
        RunCounting("cache", "warm");
        var invoice = _sample.Combine("src/Billing/Invoice.cs");
        File.WriteAllText(invoice, File.ReadAllText(invoice).Replace(
            "public string Describe()",
            "public string Void() => string.Empty;\n\n    public string Describe()",
            StringComparison.Ordinal));
        var billing = _sample.Billing.AssemblyPath;
        TestCompilation.Compile(
            "Billing",
            [new SourceInput(invoice), new SourceInput(_sample.Combine("src/Billing/Native.cs"))],
            Path.GetDirectoryName(billing)!,
            optimize: true);

        var (result, scans) = RunCounting("srcs");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal([billing], scans);
        Assert.Contains("  Billing.Invoice.Void  src/Billing/Invoice.cs:14\n", result.Out, StringComparison.Ordinal);
        Assert.Equal(RunCounting("srcs", "--no-cache").Result, result);
    }

    [Fact]
    public void An_edited_ignore_list_is_not_answered_from_the_entries_made_before()
    {
        RunCounting("cache", "warm");
        var before = RunCounting("srcs").Result;
        Assert.Contains("Shop.Cart.Total", before.Out, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_sample.Root, RootMarker.FileName), """
            [ignore]
            files = ["**/*.Designer.cs"]
            keys = ["Shop.Cart.Total"]
            """);
        var (result, scans) = RunCounting("srcs");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.DoesNotContain("Shop.Cart.Total", result.Out, StringComparison.Ordinal);
        Assert.Contains(_sample.Shop.AssemblyPath, scans);
        Assert.Contains(_sample.ShopNet8.AssemblyPath, scans);
        Assert.Equal(RunCounting("srcs", "--no-cache").Result, result);
    }

    [Fact]
    public void Damaged_entries_are_scanned_again_and_rewritten()
    {
        var uncached = RunCounting("srcs", "--no-cache").Result;
        RunCounting("cache", "warm");
        var entries = Directory.GetFiles(CacheDirectory, "*.json");
        Assert.NotEmpty(entries);
        for (var i = 0; i < entries.Length; i++)
        {
            // Garbage, a truncated write, and valid JSON without the fields an entry needs.
            var damage = (i % 3) switch
            {
                0 => "not json at all",
                1 => File.ReadAllText(entries[i])[..20],
                _ => "{}",
            };
            File.WriteAllText(entries[i], damage);
        }

        var (result, scans) = RunCounting("srcs");
        Assert.Equal(uncached, result);
        Assert.NotEmpty(scans);

        var (again, rescans) = RunCounting("srcs");
        Assert.Equal(uncached, again);
        Assert.Empty(rescans);
        Assert.Empty(Directory.GetFiles(CacheDirectory, "*.tmp"));
    }

    [Fact]
    public void Clear_removes_the_cache_folder_and_clearing_no_cache_is_fine()
    {
        RunCounting("cache", "warm");
        var entryCount = Directory.GetFiles(CacheDirectory, "*.json").Length;

        var cleared = Cli.Run(_sample.Combine("src/Shop"), "cache", "clear");

        Assert.Equal(ExitCodes.Success, cleared.ExitCode);
        Assert.Equal($"removed .coldmod-cache/ from {_sample.Root} ({entryCount} cached scans)\n", cleared.Out);
        Assert.Equal("", cleared.Error);
        Assert.False(Directory.Exists(CacheDirectory));

        var again = Cli.Run(_sample.Root, "cache", "clear");
        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.Equal($"no .coldmod-cache/ in {_sample.Root}; nothing to remove\n", again.Out);
    }

    [Fact]
    public void Warm_without_a_build_fails_like_srcs()
    {
        var result = Cli.Run(_sample.Root, "cache", "warm", "-c", "Nightly");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith("coldmod: error CM0007: No Nightly build found", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void An_assembly_with_an_embedded_PDB_is_cached_by_its_bytes_and_a_changed_source_root_map_misses()
    {
        var source = Path.Combine(_sample.Root, "src", "Embedded", "Thing.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        File.WriteAllText(source, "namespace Embedded;\n\npublic static class Thing\n{\n    public static int Run() => 1;\n}\n");
        var built = TestCompilation.Compile("Embedded", [new SourceInput(source)], Path.Combine(_sample.Root, "out"), optimize: true, embedPdb: true);
        var root = RootMarker.Find(_sample.Root);
        var cache = SrcsCache.For(root);

        var first = cache.Scan(built.AssemblyPath, SourceRootMap.None);
        var second = cache.Scan(built.AssemblyPath, SourceRootMap.None);
        var mapped = cache.Scan(built.AssemblyPath, SourceRootMap.Parse(["/_/=" + _sample.Root]));

        Assert.Equal((2, 1), (cache.ScanCount, cache.HitCount));
        Assert.True(second.HasDocumentsUnderRoot);
        Assert.Equal(first.AssemblyPath, second.AssemblyPath);
        Assert.Equal(first.Srcs, second.Srcs);
        Assert.Equal(first.Srcs, mapped.Srcs);
        Assert.Equal("Embedded.Thing.Run  src/Embedded/Thing.cs:5", $"{Assert.Single(second.Srcs).Key}  {second.Srcs[0].Location}");
    }

    private (CliResult Result, IReadOnlyList<string> Scans) RunCounting(params string[] args)
    {
        var scans = new ConcurrentQueue<string>();
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var context = new CommandContext(stdout, stderr, _sample.Root) { AssemblyScanned = scans.Enqueue };
        var exitCode = Program.Run(args, context);
        return (new CliResult(exitCode, stdout.ToString(), stderr.ToString()), [.. scans]);
    }
}

// The command line of the verb; none of these reaches a build.
public sealed class CacheCommandLineTests : IDisposable
{
    private readonly TempDirectory _directory = new("coldmod-cli-cache");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("cache", "--help")]
    [InlineData("help", "cache")]
    public void Help_documents_both_actions(params string[] args)
    {
        var result = Cli.Run(_directory.Path, args);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("Usage: coldmod cache warm [-c NAME | -a PATH...] [--source-root MAPPED=LOCAL...] [-v]\n       coldmod cache clear\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("action (pos. 0)", result.Out, StringComparison.Ordinal);
        Assert.Contains("--no-cache", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void The_overview_lists_the_verb()
    {
        var result = Cli.Run(_directory.Path, "--help");

        Assert.Matches(@"\n  cache\s+Fill \(warm\) or delete \(clear\)", result.Out);
    }

    [Fact]
    public void An_unknown_action_is_a_usage_error()
    {
        _directory.Write(RootMarker.FileName, "");

        var result = Cli.Run(_directory.Path, "cache", "frobnicate");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal(
            ["coldmod: error: Unknown cache action 'frobnicate'; use 'warm' or 'clear'.", "Run 'coldmod cache --help' for its options."],
            result.ErrorLines);
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, SrcsCache.DirectoryName)));
    }

    [Fact]
    public void A_missing_action_is_a_usage_error()
    {
        var result = Cli.Run(_directory.Path, "cache");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Run 'coldmod cache --help' for its options.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Warm_with_no_cache_is_a_usage_error()
    {
        var result = Cli.Run(_directory.Path, "cache", "warm", "--no-cache");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }

    [Theory]
    [InlineData("warm")]
    [InlineData("clear")]
    public void Without_a_rootmarker_both_actions_fail_with_CM0001(string action)
    {
        var start = Path.Combine(_directory.Path, "nowhere");
        Directory.CreateDirectory(start);

        var result = Cli.Run(start, "cache", action);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith("coldmod: error CM0001: No coldmod.rootmarker found", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }
}
