using System.Diagnostics;
using System.Globalization;
using Coldmod.Protocol;
using Coldmod.Server;
using Coldmod.TestSupport;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Coldmod.Benchmarks;

// The heatmap page at scale, in Debian's Chromium, against an empty-app baseline measured in the same run:
//   heatmap-scale [SRCS=50000] [HITS_PER_SECOND=100000] [SECONDS=15]
// first render (navigation to the tree on screen; the server's first page, and the next app's after that warm-up),
// browser main-thread time per live update (CDP TaskDuration, with its script, layout and style parts), and the
// server's allocation rate and working set while the sender streams, with no viewer, one and two. The benchmark
// process is the server, so its GC counters are the server's.
// COLDMOD_BENCH_TRACE=PREFIX writes a Chromium trace of each case's one-viewer phase to PREFIX-SRCS.json.
//   screenshot URL FILE   a picture of a running server's page, with the coldest namespace expanded.
internal static class HeatmapPageBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        if (args[0] == "screenshot")
        {
            await ScreenshotAsync(browser, args[1], args[2]);
            return 0;
        }

        var srcs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
        var rate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 15;
        var baseline = await MeasureAsync(browser, 1, 10, seconds);
        var scaled = await MeasureAsync(browser, srcs, rate, seconds);
        Console.WriteLine($"heatmap-scale {srcs} {rate} {seconds}: {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("first render: navigation until the tree is on screen; cold = the server's first page, warm = the next app's first page");
        Console.WriteLine("(its heatmap not yet loaded by the view) after that warm-up; live = until the circuit is interactive.");
        Console.WriteLine("main thread: Chromium's CDP Performance metrics over the streaming phase, per update seen (TaskDuration is the whole");
        Console.WriteLine("main-thread time; script, layout and style are parts of it). Server: allocation rate while streaming with no viewer,");
        Console.WriteLine("one and two viewers of the app (the benchmark process is the server), and the working set (ws, MB) after each phase.");
        Console.WriteLine();
        Console.WriteLine($"{"case",-30} {"cold",8} {"warm",8} {"live",8} {"updates",8} {"task",8} {"script",8} {"layout",8} {"style",8} {"alloc",10} {"alloc",10} {"alloc",10} {"ws",8} {"ws",8} {"ws",8}");
        Console.WriteLine($"{"",-30} {"ms",8} {"ms",8} {"ms",8} {"",8} {"ms/upd",8} {"ms/upd",8} {"ms/upd",8} {"ms/upd",8} {"0 viewers",10} {"1 viewer",10} {"2 viewers",10} {"0",8} {"1",8} {"2",8}");
        Print("empty app (1 src, 10 hits/s)", baseline);
        Print($"{srcs:N0} srcs, {rate:N0} hits/s", scaled);
        return 0;
    }

    private static void Print(string name, Result r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-30} {r.ColdRenderMs,8:N0} {r.WarmRenderMs,8:N0} {r.LiveMs,8:N0} {r.Updates,8} {r.TaskMs,8:N1} {r.ScriptMs,8:N1} {r.LayoutMs,8:N1} {r.StyleMs,8:N1} {r.AllocNoViewerMBps,5:N1} MB/s {r.AllocViewerMBps,5:N1} MB/s {r.AllocTwoViewersMBps,5:N1} MB/s {r.WorkingSetNoViewerMB,5:N0} MB {r.WorkingSetViewerMB,5:N0} MB {r.WorkingSetTwoViewersMB,5:N0} MB"));

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private sealed record Result(
        double ColdRenderMs,
        double WarmRenderMs,
        double LiveMs,
        int Updates,
        double TaskMs,
        double ScriptMs,
        double LayoutMs,
        double StyleMs,
        double AllocNoViewerMBps,
        double AllocViewerMBps,
        double AllocTwoViewersMBps,
        double WorkingSetNoViewerMB,
        double WorkingSetViewerMB,
        double WorkingSetTwoViewersMB);

    private static async Task<Result> MeasureAsync(IBrowser browser, int srcs, int hitsPerSecond, int seconds)
    {
        using var directory = new TempDirectory("coldmod-bench-web");
        var grpcPort = LoopbackPort.Free();
        var webPort = LoopbackPort.Free();
        var builder = ColdmodServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["COLDMOD_GRPC_HOST"] = $"127.0.0.1:{grpcPort}",
            ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{webPort}",
            ["COLDMOD_STORE"] = directory.Combine("coldmod.db"),
            ["COLDMOD_INSECURE"] = "on",
        });
        builder.Logging.ClearProviders();
        await using var app = ColdmodServer.Build(builder);
        await app.StartAsync();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var traces = new Traces.TracesClient(channel);

        // Two apps of the same size: the first page of the server (cold: JIT, first circuit) goes to "warmup", so
        // the measured first page of "big" pays only for its own heatmap.
        var keys = new string[srcs];
        foreach (var name in new[] { "warmup", "big" })
        {
            var set = new SetRequest { App = name };
            for (var i = 0; i < srcs; i++)
            {
                keys[i] = $"Big.N{i % 100}.T{i / 100 % 50}.M{i}(System.Int32)";
                set.Srcs.Add(new Src { Key = keys[i], File = $"src/N{i % 100}/T{i / 100 % 50}.cs", Line = (uint)(i % 500) + 1 });
            }

            await traces.SetAsync(set);
        }

        // Streaming with nobody watching: the ingest's own allocation, so the viewer's share shows in the next phase.
        var (allocNoViewer, workingSetNoViewer) = await StreamAsync(traces, keys, hitsPerSecond, seconds);

        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        var cold = await FirstRenderAsync(page, $"http://127.0.0.1:{webPort}/?app=warmup");
        await page.Locator("[data-testid=live]:has-text('live')").WaitForAsync(new() { Timeout = 30_000 });
        var warm = await FirstRenderAsync(page, $"http://127.0.0.1:{webPort}/?app=big");
        var clock = Stopwatch.StartNew();
        await page.Locator("[data-testid=live]:has-text('live')").WaitForAsync(new() { Timeout = 30_000 });
        var live = warm + clock.Elapsed.TotalMilliseconds;
        await page.EvaluateAsync("""
            () => { window.__updates = 0; new MutationObserver(() => window.__updates++)
                .observe(document.querySelector("[data-testid=app-hits]"), { characterData: true, childList: true, subtree: true }); }
            """);
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        var before = await MetricsAsync(cdp);
        var trace = Environment.GetEnvironmentVariable("COLDMOD_BENCH_TRACE");
        var events = new List<string>();
        var done = new TaskCompletionSource();
        if (trace is not null)
        {
            cdp.Event("Tracing.dataCollected").OnEvent += (_, e) => { lock (events) { events.Add(e!.Value.GetProperty("value").GetRawText()); } };
            cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => done.TrySetResult();
            await cdp.SendAsync("Tracing.start", new Dictionary<string, object> { ["categories"] = "devtools.timeline,v8,blink", ["transferMode"] = "ReportEvents" });
        }

        var (allocViewer, workingSetViewer) = await StreamAsync(traces, keys, hitsPerSecond, seconds);
        await Task.Delay(1000);
        if (trace is not null)
        {
            await cdp.SendAsync("Tracing.end");
            await done.Task;
            lock (events) { File.WriteAllLines($"{trace}-{srcs}.json", events); }
        }

        var after = await MetricsAsync(cdp);
        var updates = await page.EvaluateAsync<int>("() => window.__updates");

        // A second viewer of the same app: what it adds is the cost of one more viewer.
        await using var second = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var other = await second.NewPageAsync();
        await FirstRenderAsync(other, $"http://127.0.0.1:{webPort}/?app=big");
        await other.Locator("[data-testid=live]:has-text('live')").WaitForAsync(new() { Timeout = 30_000 });
        var (allocTwo, workingSetTwo) = await StreamAsync(traces, keys, hitsPerSecond, seconds);
        double PerUpdate(string metric) => updates == 0 ? 0 : (after[metric] - before[metric]) * 1000 / updates;
        return new Result(cold, warm, live, updates, PerUpdate("TaskDuration"), PerUpdate("ScriptDuration"), PerUpdate("LayoutDuration"),
            PerUpdate("RecalcStyleDuration"), allocNoViewer, allocViewer, allocTwo, workingSetNoViewer, workingSetViewer, workingSetTwo);
    }

    private static async Task<double> FirstRenderAsync(IPage page, string url)
    {
        var clock = Stopwatch.StartNew();
        // On screen once the prerendered HTML is in: the page's script loads after that and does not hold it back.
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator("[data-testid=tree] > li").First.WaitForAsync();
        return clock.Elapsed.TotalMilliseconds;
    }

    // MB/s allocated by the whole process while the sender streams, and the working set (MB) at the end.
    private static async Task<(double AllocatedMBPerSecond, double WorkingSetMB)> StreamAsync(Traces.TracesClient traces, string[] keys, int hitsPerSecond, int seconds)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var streaming = Stopwatch.StartNew();
        await Task.Run(() => SendAsync(traces, keys, hitsPerSecond, stop.Token));
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        var streamed = streaming.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        return (allocated / streamed / 1e6, process.WorkingSet64 / 1e6);
    }

    // Batches of 1,000 hits over a spread of keys, ten a second per 10,000 hits/s, as many senders' flushes would arrive.
    private static async Task SendAsync(Traces.TracesClient traces, string[] keys, int hitsPerSecond, CancellationToken stop)
    {
        using var call = traces.Collect();
        var reading = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
        var perBatch = Math.Min(1000, hitsPerSecond);
        var batchesPerSecond = Math.Max(1, hitsPerSecond / perBatch);
        var interval = TimeSpan.FromSeconds(1.0 / batchesPerSecond);
        var random = new Random(7);

        // A process of its own per phase: the server drops a batch whose sequence its process already sent.
        var process = $"bench-{Guid.NewGuid():N}";
        ulong sequence = 0;
        var next = Stopwatch.GetTimestamp();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var batch = new Batch { App = "big", ProcessId = process, Sequence = ++sequence };
                for (var i = 0; i < perBatch; i++)
                {
                    // Skewed: most hits on a tenth of the keys, so bands keep moving.
                    var key = random.Next(10) == 0 ? keys[random.Next(keys.Length)] : keys[random.Next(Math.Max(1, keys.Length / 10))];
                    batch.Hits.Add(new Hit { Key = key, Count = 1 });
                }

                await call.RequestStream.WriteAsync(batch, CancellationToken.None);
                next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, CancellationToken.None);
                }
            }
        }
        finally
        {
            await call.RequestStream.CompleteAsync();
            await reading;
        }
    }

    private static async Task<Dictionary<string, double>> MetricsAsync(ICDPSession cdp)
    {
        var metrics = await cdp.SendAsync("Performance.getMetrics");
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in metrics!.Value.GetProperty("metrics").EnumerateArray())
        {
            values[metric.GetProperty("name").GetString()!] = metric.GetProperty("value").GetDouble();
        }

        return values;
    }

    private static async Task ScreenshotAsync(IBrowser browser, string url, string file)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 760 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        await page.Locator("[data-testid=live]:has-text('live')").WaitForAsync(new() { Timeout = 30_000 });
        await page.Locator("[data-testid=tree] > li[data-depth='1'] > .row [data-testid=toggle]").Nth(2).ClickAsync();
        await page.Locator("li[data-depth='2']").First.WaitForAsync();
        await page.Locator("li[data-depth='2'] > .row [data-testid=toggle]").First.ClickAsync();
        await page.WaitForTimeoutAsync(500);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
    }
}
