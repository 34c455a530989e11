using System.Diagnostics;
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
// first render (navigation to the tree on screen), browser main-thread time per live update (CDP TaskDuration over
// the updates seen), and the server's allocation rate while the sender streams.
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

        var srcs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50_000;
        var rate = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var seconds = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 15;
        var baseline = await MeasureAsync(browser, 1, 10, seconds);
        var scaled = await MeasureAsync(browser, srcs, rate, seconds);
        Console.WriteLine($"{"case",-28} {"first render",12} {"updates",8} {"main thread/update",19} {"server alloc",14}");
        Print($"empty app (1 src, 10 hits/s)", baseline);
        Print($"{srcs:N0} srcs, {rate:N0} hits/s", scaled);
        return 0;
    }

    private static void Print(string name, Result r) =>
        Console.WriteLine($"{name,-28} {r.FirstRenderMs,9:N0} ms {r.Updates,8} {r.MainThreadMsPerUpdate,16:N1} ms {r.AllocatedMBPerSecond,9:N1} MB/s");

    private sealed record Result(double FirstRenderMs, int Updates, double MainThreadMsPerUpdate, double AllocatedMBPerSecond);

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
        var set = new SetRequest { App = "big" };
        var keys = new string[srcs];
        for (var i = 0; i < srcs; i++)
        {
            keys[i] = $"Big.N{i % 100}.T{i / 100 % 50}.M{i}(System.Int32)";
            set.Srcs.Add(new Src { Key = keys[i], File = $"src/N{i % 100}/T{i / 100 % 50}.cs", Line = (uint)(i % 500) + 1 });
        }

        await traces.SetAsync(set);

        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync($"http://127.0.0.1:{webPort}/?app=big");
        await page.Locator("[data-testid=tree] > li").First.WaitForAsync();
        var firstRender = clock.Elapsed.TotalMilliseconds;
        await page.Locator("[data-testid=live]:has-text('live')").WaitForAsync(new() { Timeout = 30_000 });
        await page.EvaluateAsync("""
            () => { window.__updates = 0; new MutationObserver(() => window.__updates++)
                .observe(document.querySelector("[data-testid=app-hits]"), { characterData: true, childList: true, subtree: true }); }
            """);
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        var before = await TaskDurationAsync(cdp);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var sending = Task.Run(() => SendAsync(traces, keys, hitsPerSecond, stop.Token));
        var streaming = Stopwatch.StartNew();
        await sending;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        var streamed = streaming.Elapsed.TotalSeconds;
        await Task.Delay(1000);
        var after = await TaskDurationAsync(cdp);
        var updates = await page.EvaluateAsync<int>("() => window.__updates");
        return new Result(firstRender, updates, updates == 0 ? 0 : (after - before) * 1000 / updates, allocated / streamed / 1e6);
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
        ulong sequence = 0;
        var next = Stopwatch.GetTimestamp();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var batch = new Batch { App = "big", ProcessId = "bench", Sequence = ++sequence };
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

    private static async Task<double> TaskDurationAsync(ICDPSession cdp)
    {
        var metrics = await cdp.SendAsync("Performance.getMetrics");
        foreach (var metric in metrics!.Value.GetProperty("metrics").EnumerateArray())
        {
            if (metric.GetProperty("name").GetString() == "TaskDuration")
            {
                return metric.GetProperty("value").GetDouble();
            }
        }

        return 0;
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
