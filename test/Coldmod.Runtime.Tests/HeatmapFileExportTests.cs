using System.Globalization;
using Coldmod.Runtime.Internal;
using Coldmod.TestSupport;
using Coldmod.Weaver;

namespace Coldmod.Runtime.Tests;

// The exit path of offline mode, run directly on modules of its own (the process-wide registry is left alone).
[Collection(nameof(ProcessWideCollection))]
public sealed class HeatmapFileExportTests : IDisposable
{
    private const string Cancel = "Shop.Orders.OrderService.Cancel(System.Int32)";
    private const string Refund = "Shop.Orders.OrderService.Refund(System.Int32)";
    private const string Add = "Shop.Cart.Add(System.Decimal)";
    private const string Get = "Shop.Cache`1.Get``1(``0,`0)";
    private const string Ctor = "Billing.Invoice.#ctor(System.String)";
    private const string Describe = "Billing.Invoice.Describe";
    private const string Amount = "Billing.Invoice.get_Amount";

    private readonly TempDirectory _directory = new("coldmod-heatmap");
    private readonly StderrCapture _stderr = new();

    private string HeatmapPath => _directory.Combine("heatmap.json");

    private string AsidePath => $"{HeatmapPath}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.json";

    public void Dispose()
    {
        _stderr.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Writes_every_src_of_every_module_with_exact_counts_and_zeros_sorted_by_file_line_and_key()
    {
        var shop = ShopModule();
        var billing = BillingModule();
        Probe.Hit(shop, 0, times: 3);
        var worker = new Thread(() => Probe.Hit(shop, 2, times: 2));
        worker.Start();
        worker.Join();
        Probe.Hit(billing, 1, times: 1);

        var written = HeatmapFileExport.Export(HeatmapPath, [shop, billing]);

        Assert.Equal(HeatmapPath, written);
        Assert.Equal(
            "{\"format\":1,\"entries\":[" +
            "{\"key\":\"Billing.Invoice.#ctor(System.String)\",\"count\":0,\"file\":\"src/Billing/Invoice.cs\",\"line\":5}," +
            "{\"key\":\"Billing.Invoice.Describe\",\"count\":1,\"file\":\"src/Billing/Invoice.cs\",\"line\":14}," +
            "{\"key\":\"Billing.Invoice.get_Amount\",\"count\":0,\"file\":\"src/Billing/Invoice.cs\",\"line\":14}," +
            "{\"key\":\"Shop.Cache`1.Get``1(``0,`0)\",\"count\":0,\"file\":\"src/Shop/Cache.cs\",\"line\":8}," +
            "{\"key\":\"Shop.Cart.Add(System.Decimal)\",\"count\":2,\"file\":\"src/Shop/Cart.cs\",\"line\":12}," +
            "{\"key\":\"Shop.Orders.OrderService.Cancel(System.Int32)\",\"count\":3,\"file\":\"src/Shop/Orders.cs\",\"line\":42}," +
            "{\"key\":\"Shop.Orders.OrderService.Refund(System.Int32)\",\"count\":0,\"file\":\"src/Shop/Orders.cs\",\"line\":57}" +
            "]}",
            File.ReadAllText(HeatmapPath));
        Assert.Empty(_stderr.Lines);
        Assert.Equal(["heatmap.json"], FilesInDirectory());
    }

    [Fact]
    public void Counts_made_just_before_the_export_are_in_it()
    {
        var shop = ShopModule();
        Probe.Hit(shop, 1, times: 4);

        HeatmapFileExport.Export(HeatmapPath, [shop]);

        Assert.Equal(4, Read(HeatmapPath)[Refund].Count);
    }

    [Fact]
    public void Copies_of_one_assembly_in_several_load_contexts_add_up_by_key()
    {
        var first = ShopModule();
        var second = ShopModule();
        Probe.Hit(first, 0, times: 2);
        Probe.Hit(second, 0, times: 5);
        Probe.Hit(second, 1, times: 1);

        HeatmapFileExport.Export(HeatmapPath, [first, second]);

        var heatmap = Read(HeatmapPath);
        Assert.Equal(4, heatmap.Count);
        Assert.Equal(7, heatmap[Cancel].Count);
        Assert.Equal(1, heatmap[Refund].Count);
        Assert.Equal(0, heatmap[Add].Count);
    }

    [Fact]
    public void Adds_to_an_existing_heatmap_keeping_keys_only_it_has_and_taking_this_runs_locations()
    {
        File.WriteAllText(HeatmapPath, """
            {"format":1,"entries":[
              {"key":"Shop.Orders.OrderService.Cancel(System.Int32)","count":10,"file":"src/Shop/OldOrders.cs","line":7},
              {"key":"Shop.Cart.Add(System.Decimal)","count":1,"file":"src/Shop/Cart.cs","line":12},
              {"key":"Shop.Legacy.Gone","count":5,"file":"src/Shop/Legacy.cs","line":3,"note":"ignored"}
            ]}
            """);
        var shop = ShopModule();
        Probe.Hit(shop, 0, times: 3);
        Probe.Hit(shop, 3, times: 1);

        HeatmapFileExport.Export(HeatmapPath, [shop]);

        Assert.Equal(
            "{\"format\":1,\"entries\":[" +
            "{\"key\":\"Shop.Cache`1.Get``1(``0,`0)\",\"count\":1,\"file\":\"src/Shop/Cache.cs\",\"line\":8}," +
            "{\"key\":\"Shop.Cart.Add(System.Decimal)\",\"count\":1,\"file\":\"src/Shop/Cart.cs\",\"line\":12}," +
            "{\"key\":\"Shop.Legacy.Gone\",\"count\":5,\"file\":\"src/Shop/Legacy.cs\",\"line\":3}," +
            "{\"key\":\"Shop.Orders.OrderService.Cancel(System.Int32)\",\"count\":13,\"file\":\"src/Shop/Orders.cs\",\"line\":42}," +
            "{\"key\":\"Shop.Orders.OrderService.Refund(System.Int32)\",\"count\":0,\"file\":\"src/Shop/Orders.cs\",\"line\":57}" +
            "]}",
            File.ReadAllText(HeatmapPath));
        Assert.Empty(_stderr.Lines);
        Assert.Equal(["heatmap.json"], FilesInDirectory());
    }

    [Fact]
    public void Successive_runs_accumulate()
    {
        for (var run = 0; run < 3; run++)
        {
            var shop = ShopModule();
            Probe.Hit(shop, 0, times: 2);
            HeatmapFileExport.Export(HeatmapPath, [shop]);
        }

        Assert.Equal(6, Read(HeatmapPath)[Cancel].Count);
        Assert.Equal(0, Read(HeatmapPath)[Refund].Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n")]
    public void An_empty_file_is_taken_for_no_heatmap_yet(string placeholder)
    {
        File.WriteAllText(HeatmapPath, placeholder);
        var shop = ShopModule();
        Probe.Hit(shop, 1, times: 1);

        Assert.Equal(HeatmapPath, HeatmapFileExport.Export(HeatmapPath, [shop]));

        Assert.Equal(1, Read(HeatmapPath)[Refund].Count);
        Assert.Empty(_stderr.Lines);
    }

    [Theory]
    [InlineData("{\"format\":2,\"entries\":[]}", "it is format 2, and this runtime writes format 1")]
    [InlineData("not json", "it is not valid JSON (")]
    [InlineData("[]", "the top level is not an object")]
    [InlineData("{\"format\":1}", "\"entries\" is missing or not an array")]
    [InlineData("{\"format\":1,\"entries\":[{\"key\":\"A\",\"count\":-1,\"file\":\"a.cs\",\"line\":1}]}", "entries[0].count (A) is missing or not a non-negative integer")]
    [InlineData("{\"format\":1,\"entries\":[{\"key\":\"A\",\"count\":1,\"line\":1}]}", "entries[0].file (A) is missing or not a string")]
    [InlineData("{\"format\":1,\"entries\":[{\"key\":\"A\",\"count\":1,\"file\":\"a.cs\",\"line\":0}]}", "entries[0].line (A) is missing or not a positive integer")]
    [InlineData("{\"format\":1,\"entries\":[{\"key\":\"A\",\"count\":1,\"file\":\"a.cs\",\"line\":1},{\"key\":\"A\",\"count\":1,\"file\":\"a.cs\",\"line\":1}]}", "entries[1] repeats the key A")]
    public void A_malformed_heatmap_is_left_as_it_is_and_this_runs_counts_go_beside_it(string content, string problem)
    {
        File.WriteAllText(HeatmapPath, content);
        var shop = ShopModule();
        Probe.Hit(shop, 0, times: 3);

        var written = HeatmapFileExport.Export(HeatmapPath, [shop]);

        Assert.Equal(AsidePath, written);
        Assert.Equal(content, File.ReadAllText(HeatmapPath));
        Assert.Equal(3, Read(AsidePath)[Cancel].Count);
        var line = Assert.Single(_stderr.Lines);
        Assert.StartsWith($"coldmod: {HeatmapPath} is not a heatmap this runtime can add to ({problem}", line, StringComparison.Ordinal);
        Assert.EndsWith($"); left it as it is and wrote this process's counts to {AsidePath}.", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_sharing_a_malformed_heatmap_and_a_process_id_add_up_beside_it()
    {
        File.WriteAllText(HeatmapPath, "{}");
        for (var run = 0; run < 2; run++)
        {
            var shop = ShopModule();
            Probe.Hit(shop, 0, times: 3);
            HeatmapFileExport.Export(HeatmapPath, [shop]);
        }

        Assert.Equal("{}", File.ReadAllText(HeatmapPath));
        Assert.Equal(6, Read(AsidePath)[Cancel].Count);
        Assert.Equal(2, _stderr.Lines.Length);
    }

    [Fact]
    public void When_the_file_beside_a_malformed_heatmap_is_malformed_too_both_are_left_and_one_line_says_so()
    {
        File.WriteAllText(HeatmapPath, "{}");
        File.WriteAllText(AsidePath, "[]");
        var shop = ShopModule();
        Probe.Hit(shop, 0, times: 1);

        Assert.Null(HeatmapFileExport.Export(HeatmapPath, [shop]));

        Assert.Equal("{}", File.ReadAllText(HeatmapPath));
        Assert.Equal("[]", File.ReadAllText(AsidePath));
        Assert.Equal(
            $"coldmod: cannot write the heatmap file {HeatmapPath}: it is not a heatmap this runtime can add to (\"format\" is missing or not a number), and neither is {AsidePath} (the top level is not an object); left both as they are",
            Assert.Single(_stderr.Lines));
    }

    [Theory]
    [InlineData("a-file/heatmap.json")]
    [InlineData("no-such-directory/heatmap.json")]
    public void A_directory_that_cannot_be_written_is_reported_in_one_line_and_nothing_throws(string relativePath)
    {
        _directory.Write("a-file", "a file, not a directory");
        var path = _directory.Combine(relativePath.Split('/'));
        var shop = ShopModule();
        Probe.Hit(shop, 0, times: 1);

        var written = HeatmapFileExport.Export(path, [shop]);

        Assert.Null(written);
        var line = Assert.Single(_stderr.Lines);
        Assert.StartsWith($"coldmod: cannot write the heatmap file {path}: ", line, StringComparison.Ordinal);
        Assert.Equal(["a-file"], FilesInDirectory());
    }

    [Fact]
    public void A_lock_held_past_the_retries_leaves_the_heatmap_alone_and_this_runs_counts_go_beside_it()
    {
        File.WriteAllText(HeatmapPath, "{\"format\":1,\"entries\":[]}");
        var shop = ShopModule();
        Probe.Hit(shop, 0, times: 2);

        string? written;
        using (new FileStream(HeatmapPath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            written = HeatmapFileExport.Export(HeatmapPath, [shop], lockAttempts: 3);
        }

        Assert.Equal(AsidePath, written);
        Assert.Equal("{\"format\":1,\"entries\":[]}", File.ReadAllText(HeatmapPath));
        Assert.Equal(2, Read(AsidePath)[Cancel].Count);
        Assert.Equal(
            $"coldmod: {HeatmapPath} stayed locked by another process (through {HeatmapPath}.lock); wrote this process's counts to {AsidePath} instead.",
            Assert.Single(_stderr.Lines));
    }

    [Fact]
    public void Exports_racing_for_one_file_all_add_up()
    {
        const int writers = 6;
        var modules = Enumerable.Range(0, writers).Select(_ => ShopModule()).ToList();
        for (var i = 0; i < writers; i++)
        {
            Probe.Hit(modules[i], 0, times: i + 1);
            Probe.Hit(modules[i], 2, times: 1);
        }

        using var start = new Barrier(writers);
        var written = new string?[writers];
        var threads = Enumerable.Range(0, writers).Select(i => new Thread(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            written[i] = HeatmapFileExport.Export(HeatmapPath, [modules[i]]);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(written, path => Assert.Equal(HeatmapPath, path));
        var heatmap = Read(HeatmapPath);
        Assert.Equal(writers * (writers + 1) / 2, heatmap[Cancel].Count);
        Assert.Equal(writers, heatmap[Add].Count);
        Assert.Empty(_stderr.Lines);
        Assert.Equal(["heatmap.json"], FilesInDirectory());
    }

    [Fact]
    public void A_lock_file_removed_by_its_last_holder_is_not_taken_for_the_lock_by_one_that_had_opened_it()
    {
        // The lock is removed on release only because a process that opened the removed file can tell, and tries
        // again on the path instead of merging beside a newcomer that locked a fresh file there.
        var lockPath = HeatmapPath + HeatmapFileStore.LockSuffix;
        using var opened = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        Assert.False(HeatmapFileLock.IsRemoved(opened));

        File.Delete(lockPath);

        Assert.True(HeatmapFileLock.IsRemoved(opened));
        using (var fresh = HeatmapFileLock.TryAcquire(lockPath))
        {
            Assert.NotNull(fresh);
            Assert.Equal(["heatmap.json.lock"], FilesInDirectory());
        }

        Assert.Empty(FilesInDirectory());
    }

    [Fact]
    public void A_module_whose_srcs_cannot_be_read_is_left_out_and_reported_in_one_line()
    {
        var shop = ShopModule();
        var unreadable = FakeSrcsAssembly.Module(new FakeSrcsAssembly("Unreadable", srcs: null), 3);
        var noProbes = FakeSrcsAssembly.Module(new FakeSrcsAssembly("NoProbes", srcs: null), 0);
        Probe.Hit(unreadable, 1, times: 4);
        Probe.Hit(shop, 0, times: 1);

        HeatmapFileExport.Export(HeatmapPath, [unreadable, shop, noProbes]);

        var heatmap = Read(HeatmapPath);
        Assert.Equal([Get, Add, Cancel, Refund], heatmap.Keys);
        Assert.Equal(1, heatmap[Cancel].Count);
        Assert.Equal(
            [
                "coldmod: module Unreadable: it has no Coldmod.Srcs resource; its counts are reported under #index keys.",
                "coldmod: module NoProbes: it has no Coldmod.Srcs resource; its counts are reported under #index keys.",
                $"coldmod: left out of the heatmap file {HeatmapPath}, because their srcs cannot be read: Unreadable (3 probes).",
            ],
            _stderr.Lines);
    }

    [Fact]
    public void The_CLI_reader_reads_what_the_runtime_writes()
    {
        var shop = ShopModule();
        var billing = BillingModule();
        Probe.Hit(shop, 3, times: 9);
        Probe.Hit(billing, 0, times: 1);

        HeatmapFileExport.Export(HeatmapPath, [shop, billing]);

        Assert.Equal(
            [
                new HeatmapEntry(Ctor, 1, "src/Billing/Invoice.cs", 5),
                new HeatmapEntry(Describe, 0, "src/Billing/Invoice.cs", 14),
                new HeatmapEntry(Amount, 0, "src/Billing/Invoice.cs", 14),
                new HeatmapEntry(Get, 9, "src/Shop/Cache.cs", 8),
                new HeatmapEntry(Add, 0, "src/Shop/Cart.cs", 12),
                new HeatmapEntry(Cancel, 0, "src/Shop/Orders.cs", 42),
                new HeatmapEntry(Refund, 0, "src/Shop/Orders.cs", 57),
            ],
            HeatmapFile.Read(HeatmapPath));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_variable_leaves_offline_mode_off(string? value)
    {
        Assert.Null(HeatmapFileExport.ResolvePath(value, _directory.Path));
    }

    [Fact]
    public void A_relative_path_is_resolved_against_the_directory_the_app_started_in()
    {
        var started = _directory.Combine("app");

        Assert.Equal(_directory.Combine("app", "out", "heatmap.json"), HeatmapFileExport.ResolvePath("out/heatmap.json", started));
        Assert.Equal(_directory.Combine("heatmap.json"), HeatmapFileExport.ResolvePath("../heatmap.json", started));
        Assert.Equal(HeatmapPath, HeatmapFileExport.ResolvePath(HeatmapPath, started));
    }

    [Fact]
    public void Estimated_counts_are_written_with_their_part_and_error_and_add_up_across_runs()
    {
        const string Lines = "{\"key\":\"Shop.Cart.Add(System.Decimal)\",\"count\":0,\"file\":\"src/Shop/Cart.cs\",\"line\":12}";
        var previous = ModuleCounters.WindowCallTicks;
        ModuleCounters.WindowCallTicks = 0;
        try
        {
            for (var run = 0; run < 2; run++)
            {
                var shop = FakeSrcsAssembly.Module("Shop", CountingSettings.Sampled with { ExactBound = 10 }, new SrcEntry(Cancel, "src/Shop/Orders.cs", 42), new SrcEntry(Add, "src/Shop/Cart.cs", 12));
                Probe.Hit(shop, 0, times: 10);
                var since = System.Diagnostics.Stopwatch.GetTimestamp();
                shop.OpenWindow(since + (3 * System.Diagnostics.Stopwatch.Frequency));
                Probe.Hit(shop, 0, times: 25);
                shop.CloseWindow(since + (4 * System.Diagnostics.Stopwatch.Frequency));

                HeatmapFileExport.Export(HeatmapPath, [shop]);
            }
        }
        finally
        {
            ModuleCounters.WindowCallTicks = previous;
        }

        // Each run: 10 counted one by one at registration, then 25 calls in a one-second window. At that rate the 10 calls
        // ran out 0.4 s after registration, so the window stands for the 3.6 s from there to its close: 90 estimated,
        // with a standard error of 90/sqrt(25) = 18. Two runs: 200 calls, 180 of them estimated, error sqrt(2) * 18.
        Assert.Equal(
            "{\"format\":1,\"entries\":[" + Lines + "," +
            "{\"key\":\"Shop.Orders.OrderService.Cancel(System.Int32)\",\"count\":200,\"file\":\"src/Shop/Orders.cs\",\"line\":42,\"estimated\":180,\"estimate_error\":25.5}" +
            "]}",
            File.ReadAllText(HeatmapPath));
        Assert.Empty(_stderr.Lines);
    }

    private static ModuleCounters ShopModule() => FakeSrcsAssembly.Module(
        "Shop",
        new SrcEntry(Cancel, "src/Shop/Orders.cs", 42),
        new SrcEntry(Refund, "src/Shop/Orders.cs", 57),
        new SrcEntry(Add, "src/Shop/Cart.cs", 12),
        new SrcEntry(Get, "src/Shop/Cache.cs", 8));

    private static ModuleCounters BillingModule() => FakeSrcsAssembly.Module(
        "Billing",
        new SrcEntry(Ctor, "src/Billing/Invoice.cs", 5),
        new SrcEntry(Describe, "src/Billing/Invoice.cs", 14),
        new SrcEntry(Amount, "src/Billing/Invoice.cs", 14));

    private static Dictionary<string, HeatmapEntry> Read(string path) =>
        HeatmapFile.Read(path).ToDictionary(e => e.Key, StringComparer.Ordinal);

    private string[] FilesInDirectory() =>
        [.. Directory.EnumerateFileSystemEntries(_directory.Path).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];
}
