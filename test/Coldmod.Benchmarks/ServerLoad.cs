using System.Diagnostics;
using Coldmod.Protocol;
using Coldmod.Server;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Coldmod.TestSupport;

namespace Coldmod.Benchmarks;

/// <summary>
/// Sustained load into a store (SQLite, or with load-stores SQLite, Redis and two instances on Redis): several concurrent senders stream batches over loopback for a
/// bounded time, each keeping a window of unacknowledged batches in flight, as the runtime's sender does.
/// Reports acknowledged batches/s and hits/s, then checks that the stored heatmap equals exactly what was sent.
/// Usage: load [senders=8] [seconds=10] [hitsPerBatch=20] [keys=5000]
/// </summary>
internal static class ServerLoad
{
    private const int Window = 64;

    public static async Task<int> RunAsync(string[] args)
    {
        var senders = Arg(args, 1, 8);
        var seconds = Arg(args, 2, 10);
        var hitsPerBatch = Arg(args, 3, 20);
        var keyCount = Arg(args, 4, 5000);
        var directory = Path.Combine(Path.GetTempPath(), $"coldmod-load-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        try
        {
            return await RunPhaseAsync("SQLite", [Path.Combine(directory, "load.db")], senders, seconds, hitsPerBatch, keyCount) ? 0 : 1;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // SQLite with one instance, Redis with one and Redis with two, from the same senders in one run; Redis's own CPU
    // time comes from /proc. Usage: load-stores [senders=8] [seconds=5] [hitsPerBatch=20] [keys=5000]
    public static async Task<int> RunStoresAsync(string[] args)
    {
        var senders = Arg(args, 1, 8);
        var seconds = Arg(args, 2, 5);
        var hitsPerBatch = Arg(args, 3, 20);
        var keyCount = Arg(args, 4, 5000);
        var directory = Path.Combine(Path.GetTempPath(), $"coldmod-load-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        var redisPort = LoopbackPort.Free();
        var redis = StartRedis(directory, redisPort);
        try
        {
            var url = $"redis://127.0.0.1:{redisPort}/0";
            var exact = await RunPhaseAsync("SQLite x1", [Path.Combine(directory, "load.db")], senders, seconds, hitsPerBatch, keyCount);
            var cpu = RedisCpuSeconds(redis);
            exact &= await RunPhaseAsync("Redis x1", [url], senders, seconds, hitsPerBatch, keyCount);
            Console.WriteLine($"   redis-server CPU: {RedisCpuSeconds(redis) - cpu:F2} s");
            await FlushRedisAsync(redisPort);
            cpu = RedisCpuSeconds(redis);
            exact &= await RunPhaseAsync("Redis x2", [url, url], senders, seconds, hitsPerBatch, keyCount);
            Console.WriteLine($"   redis-server CPU: {RedisCpuSeconds(redis) - cpu:F2} s");
            return exact ? 0 : 1;
        }
        finally
        {
            redis.Kill();
            redis.WaitForExit();
            Directory.Delete(directory, recursive: true);
        }
    }

    // One server instance per store entry (all on one store), the senders spread across them.
    private static async Task<bool> RunPhaseAsync(string name, string[] stores, int senders, int seconds, int hitsPerBatch, int keyCount)
    {
        var apps = new List<Microsoft.AspNetCore.Builder.WebApplication>();
        var channels = new List<GrpcChannel>();
        try
        {
            foreach (var store in stores)
            {
                var grpcPort = LoopbackPort.Free();
                var builder = ColdmodServer.CreateBuilder([]);
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["COLDMOD_INSECURE"] = "on",
                    ["COLDMOD_STORE"] = store,
                    ["COLDMOD_GRPC_HOST"] = $"127.0.0.1:{grpcPort}",
                    ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{LoopbackPort.Free()}",
                });
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                var app = ColdmodServer.Build(builder);
                apps.Add(app);
                await app.StartAsync();
                channels.Add(GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}"));
            }

            var clients = channels.Select(c => new Traces.TracesClient(c)).ToArray();
            var traces = clients[0];
            var keys = Enumerable.Range(0, keyCount).Select(i => $"Load.Type{i / 20}.Method{i % 20}(System.Int32)").ToArray();
            var set = new SetRequest { App = "load" };
            set.Srcs.AddRange(keys.Select((k, i) => new Src { Key = k, File = $"src/File{i / 200}.cs", Line = (uint)(i % 200) + 1 }));
            await traces.SetAsync(set);

            Console.WriteLine($"// {name}: {senders} senders, {seconds} s, {hitsPerBatch} hits per batch, {keyCount} keys, window {Window}");
            var stopwatch = Stopwatch.StartNew();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var results = await Task.WhenAll(Enumerable.Range(0, senders)
                .Select(s => SendAsync(clients[s % clients.Length], s, keys, hitsPerBatch, deadline.Token)));
            var elapsed = stopwatch.Elapsed.TotalSeconds;

            var batches = results.Sum(r => r.Batches);
            var hits = results.Sum(r => r.Hits);
            Console.WriteLine($"{name}: acknowledged {batches:N0} batches, {hits:N0} hits in {elapsed:F1} s: {batches / elapsed:N0} batches/s, {hits / elapsed:N0} hits/s");

            var expected = new long[keyCount];
            foreach (var result in results)
            {
                for (var k = 0; k < keyCount; k++)
                {
                    expected[k] += result.PerKey[k];
                }
            }

            var fetched = await traces.FetchAsync(new FetchRequest { App = "load", All = true });
            var stored = fetched.Srcs.ToDictionary(s => s.Key, s => (long)s.Count);
            var wrong = keys.Select((k, i) => (k, i)).Count(x => stored.GetValueOrDefault(x.k) != expected[x.i]);
            Console.WriteLine(wrong == 0 ? "   heatmap exact: every key holds exactly the hits sent" : $"   heatmap WRONG for {wrong} keys");
            return wrong == 0;
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }

            foreach (var app in apps)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    private static Process StartRedis(string directory, int port)
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, WorkingDirectory = directory };
        foreach (var argument in new[]
        {
            "--port", $"{port}", "--bind", "127.0.0.1", "--dir", directory, "--appendonly", "yes", "--appendfsync", "always",
            "--save", "", "--daemonize", "no",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                client.Connect(System.Net.IPAddress.Loopback, port);
                return process;
            }
            catch (System.Net.Sockets.SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new InvalidOperationException("redis-server did not listen");
    }

    private static async Task FlushRedisAsync(int port)
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true");
        await redis.GetServer($"127.0.0.1:{port}").FlushAllDatabasesAsync();
    }

    // utime + stime of the process, from /proc/PID/stat (in clock ticks of 1/100 s on Linux).
    private static double RedisCpuSeconds(Process redis)
    {
        var stat = File.ReadAllText($"/proc/{redis.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
            + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    private static async Task<SenderResult> SendAsync(Traces.TracesClient traces, int sender, string[] keys, int hitsPerBatch, CancellationToken deadline)
    {
        var perKey = new long[keys.Length];
        var random = new Random(sender);
        var processId = $"load-{Environment.ProcessId}-{sender}";
        using var call = traces.Collect();
        using var window = new SemaphoreSlim(Window);
        long acked = 0;
        var reader = Task.Run(async () =>
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
                acked++;
                window.Release();
            }
        });

        ulong sequence = 0;
        while (!deadline.IsCancellationRequested)
        {
            await window.WaitAsync();
            var batch = new Batch { App = "load", ProcessId = processId, Sequence = ++sequence };
            for (var h = 0; h < hitsPerBatch; h++)
            {
                var k = random.Next(keys.Length);
                batch.Hits.Add(new Hit { Key = keys[k], Count = 1 });
                perKey[k]++;
            }

            await call.RequestStream.WriteAsync(batch);
        }

        await call.RequestStream.CompleteAsync();
        await reader;
        return new SenderResult((long)sequence, (long)sequence * hitsPerBatch, perKey) { Acked = acked };
    }

    private static int Arg(string[] args, int index, int fallback) =>
        args.Length > index && int.TryParse(args[index], out var value) && value > 0 ? value : fallback;


    private sealed record SenderResult(long Batches, long Hits, long[] PerKey)
    {
        public long Acked { get; init; }
    }
}
