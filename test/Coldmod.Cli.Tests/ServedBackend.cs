using Coldmod.Cli.Commands;
using Coldmod.Protocol;
using Coldmod.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;

namespace Coldmod.Cli.Tests;

// A real Coldmod server started the way users start one, with "coldmod serve", in this process on free 127.0.0.1
// ports with a temp SQLite store; tests seed it through the CLI's own generated client.
public sealed class ServedBackend : IDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _store = new("coldmod-served");
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly GrpcChannel _channel;
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();
    private int? _exitCode;

    private readonly Metadata _headers = [];

    public ServedBackend()
        : this(null, null)
    {
    }

    // With an authority, the server runs as production does: TLS with a certificate that CA signed, and the API key.
    public ServedBackend(TestAuthority? authority, string? apiKey)
    {
        // A free port can be taken by another process between choosing it and binding it (test classes run in
        // parallel): then serve exits at once saying so, and a new pair of ports is tried, a bounded number of times.
        for (var attempt = 1; ; attempt++)
        {
            var grpcPort = LoopbackPort.Free();
            GrpcHost = $"127.0.0.1:{grpcPort}";
            Environment = new Dictionary<string, string>
            {
                ["COLDMOD_GRPC_HOST"] = GrpcHost,
                ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{LoopbackPort.Free()}",
                ["COLDMOD_STORE"] = _store.Combine("heatmap.db"),
            };
            if (authority is null)
            {
                Environment["COLDMOD_INSECURE"] = "on";
            }
            else
            {
                Environment["COLDMOD_TLS_CERT"] = authority.CertificatePath;
                Environment["COLDMOD_TLS_KEY"] = authority.KeyPath;
                Environment["COLDMOD_API_KEY"] = apiKey ?? throw new ArgumentNullException(nameof(apiKey));
                _headers.Add("authorization", $"Bearer {apiKey}");
            }

            var context = new CommandContext(TextWriter.Synchronized(_out), TextWriter.Synchronized(_error), _store.Path)
            {
                Environment = name => Environment.GetValueOrDefault(name),
                Stopping = _stop.Token,
            };
            _thread = new Thread(() => _exitCode = Program.Run(["serve"], context)) { IsBackground = true, Name = "coldmod serve" };
            _thread.Start();

            _channel = authority is null
                ? GrpcChannel.ForAddress($"http://{GrpcHost}")
                : GrpcChannel.ForAddress($"https://{GrpcHost}", new GrpcChannelOptions
                {
                    HttpHandler = new HttpClientHandler { ServerCertificateCustomValidationCallback = authority.Trusts },
                    DisposeHttpClient = true,
                });
            Traces = new Traces.TracesClient(_channel);
            Ops = new Ops.OpsClient(_channel);
            if (WaitUntilAnswering(retryOnBusyPort: attempt < MaxStartAttempts))
            {
                return;
            }

            _channel.Dispose();
            _headers.Clear();
            _out.GetStringBuilder().Clear();
            _error.GetStringBuilder().Clear();
            _exitCode = null;
        }
    }

    public string GrpcHost { get; }

    // What the server reads, and for an insecure one what the CLI under test reads too: the same server, plain HTTP.
    public Dictionary<string, string> Environment { get; }

    internal Traces.TracesClient Traces { get; }

    internal Ops.OpsClient Ops { get; }


    public void Set(string app, params (string Key, string File, uint Line)[] srcs)
    {
        var request = new SetRequest { App = app };
        request.Srcs.AddRange(srcs.Select(s => new Src { Key = s.Key, File = s.File, Line = s.Line }));
        Traces.Set(request, _headers, Deadline());
    }

    internal Grpc.Core.Metadata Headers => _headers;

    public void Collect(string app, params (string Key, ulong Count)[] hits) =>
        Collect(app, [.. hits.Select(h => new Hit { Key = h.Key, Count = h.Count })]);

    internal void Collect(string app, params Hit[] hits)
    {
        using var call = Traces.Collect(_headers, Deadline());
        var batch = new Batch { App = app, ProcessId = Guid.NewGuid().ToString("N"), Sequence = 1 };
        batch.Hits.AddRange(hits);
        call.RequestStream.WriteAsync(batch).GetAwaiter().GetResult();
        Assert.True(call.ResponseStream.MoveNext().GetAwaiter().GetResult());
        Assert.True(call.ResponseStream.Current.Applied);
        call.RequestStream.CompleteAsync().GetAwaiter().GetResult();
    }

    // Stops the server as Ctrl+C would and returns serve's exit code.
    public int Stop()
    {
        _stop.Cancel();
        Assert.True(_thread.Join(TimeSpan.FromSeconds(30)), "coldmod serve did not stop within 30 seconds");
        return _exitCode ?? -1;
    }

    public void Dispose()
    {
        _channel.Dispose();
        if (_thread.IsAlive)
        {
            Stop();
        }

        _stop.Dispose();
        _store.Dispose();
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(20);

    private const int MaxStartAttempts = 5;

    // False when serve exited because a port was taken and another attempt may be made.
    private bool WaitUntilAnswering(bool retryOnBusyPort)
    {
        var deadline = DateTime.UtcNow + s_startTimeout;
        while (true)
        {
            if (!_thread.IsAlive)
            {
                if (retryOnBusyPort && _error.ToString().Contains("address already in use", StringComparison.Ordinal))
                {
                    return false;
                }

                throw new InvalidOperationException($"coldmod serve exited with {_exitCode}: {_error}{_out}");
            }

            try
            {
                Ops.Status(new StatusRequest(), _headers, DateTime.UtcNow.AddSeconds(2));
                return true;
            }
            catch (RpcException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }
}
