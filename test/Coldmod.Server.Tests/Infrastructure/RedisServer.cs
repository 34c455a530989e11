using System.Diagnostics;
using Coldmod.TestSupport;
using StackExchange.Redis;

namespace Coldmod.Server.Tests.Infrastructure;

// A real redis-server for one test class: on a free 127.0.0.1 port, in a temp directory, with the AOF on and
// fsynced on every write (the setting the README recommends when no acked count may be lost), stopped at the end.
// build/test.sh installs redis-server when it is missing.
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory = new("coldmod-redis");
    private Process? _process;
    private ConnectionMultiplexer? _admin;
    private string _executable = "";

    public int Port { get; private set; }

    // The port of a primary on 127.0.0.1 to replicate, for a replica.
    public int? ReplicaOf { get; init; }

    public string Url => $"redis://127.0.0.1:{Port}/0";

    public async Task InitializeAsync()
    {
        var executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed; ./build/test.sh installs it (apt-get install redis-server)");
        _executable = executable;
        Port = LoopbackPort.Free();
        await StartProcessAsync();
        _admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},allowAdmin=true,connectTimeout=1000,abortConnect=false");
    }

    // SIGKILL: what was not yet in the AOF is lost, as on a crash.
    public void Kill()
    {
        _process!.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    // On the same port and directory, so it reloads the AOF.
    public Task RestartAsync() => StartProcessAsync();

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            WorkingDirectory = _directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--port", $"{Port}", "--bind", "127.0.0.1", "--dir", _directory.Path, "--appendonly", "yes",
            "--appendfsync", "always", "--save", "", "--daemonize", "no", "--protected-mode", "yes",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (ReplicaOf is { } primary)
        {
            foreach (var argument in new[] { "--replicaof", "127.0.0.1", $"{primary}" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + s_startTimeout;
        while (true)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},connectTimeout=1000");
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    // Connections already open (the fixture's own) stay authenticated; new ones need the password.
    public async Task RequirePasswordAsync(string password) =>
        await _admin!.GetServer($"127.0.0.1:{Port}").ConfigSetAsync("requirepass", password);

    // Until the replicas have every write so far (WAIT), or the timeout; the number of replicas that have.
    public async Task<long> WaitForReplicasAsync(int replicas, TimeSpan timeout) =>
        (long)await _admin!.GetServer($"127.0.0.1:{Port}").ExecuteAsync("WAIT", replicas, (long)timeout.TotalMilliseconds);

    // A replica's promotion, as Sentinel or an operator does it when the primary is gone.
    public async Task PromoteAsync() => await _admin!.GetServer($"127.0.0.1:{Port}").ExecuteAsync("REPLICAOF", "NO", "ONE");

    // Until a replica has finished its first sync with its primary.
    public async Task WaitForSyncAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            var info = (string?)await _admin!.GetServer($"127.0.0.1:{Port}").ExecuteAsync("INFO", "replication") ?? "";
            if (info.Contains("master_link_status:up", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"the replica on port {Port} never synced with its primary");
    }

    // Each test starts from an empty store.
    public async Task FlushAsync() => await _admin!.GetServer($"127.0.0.1:{Port}").FlushAllDatabasesAsync();

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _directory.Dispose();
    }
}
