using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Coldmod.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Coldmod.Runtime.Internal.Sending;

// The one background thread that sets the app's srcs and then streams its counts. Everything it does is bounded in time
// and caught: the app must never see an exception, a blocked probe or unbounded memory because the server is away.
internal sealed class Sender
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(10);

    private readonly SenderSettings _settings;
    private readonly Func<bool, IReadOnlyList<HitCount>> _drain;
    private readonly Func<List<SrcEntry>> _srcs;
    private readonly Backoff _backoff;
    private readonly TimeSpan _giveUpAfter;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private TimeSpan _exitBudget = TimeSpan.FromSeconds(2);
    private int _stopped;
    private int _connections;
    private int _host;
    private string? _version;
    private long _setBytes;
    private long _srcsSent;

    public Sender(SenderSettings settings, Func<bool, IReadOnlyList<HitCount>> drain, Func<List<SrcEntry>> srcs,
        TimeSpan? giveUpAfter = null, int? jitterSeed = null)
    {
        _settings = settings;
        _drain = drain;
        _srcs = srcs;
        _giveUpAfter = giveUpAfter ?? TimeSpan.FromDays(2);
        _backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30),
            jitterSeed is { } seed ? new Random(seed) : new Random());
        Outbox = new Outbox(settings.App, NewProcessId());
        _thread = new Thread(Run) { IsBackground = true, Name = "Coldmod sender" };
    }

    public Outbox Outbox { get; }

    public int Connections => Volatile.Read(ref _connections);

    public bool IsRunning => _thread.IsAlive;

    // Test and benchmark aids: what this process's Set calls put on the wire.
    public long SetBytesSent => Interlocked.Read(ref _setBytes);

    public long SrcsSent => Interlocked.Read(ref _srcsSent);

    public string? Version => Volatile.Read(ref _version);

    public static string NewProcessId()
    {
        using var process = Process.GetCurrentProcess();
        var started = process.StartTime.ToUniversalTime().ToString("yyyyMMddTHHmmssfff", CultureInfo.InvariantCulture);
        return $"{Environment.ProcessId}-{started}-{Random.Shared.NextInt64():x16}";
    }

    public void Start() => _thread.Start();

    // Ends the thread after a final flush of at most exitBudget; waits a little longer than that, never forever.
    public void Stop(TimeSpan? exitBudget = null)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _exitBudget = exitBudget ?? _exitBudget;
        _stopping.Cancel();
        if (_thread.IsAlive)
        {
            _thread.Join(_exitBudget + TimeSpan.FromSeconds(1));
        }
    }

    private void Run()
    {
        try
        {
            var loop = new LoopState();
            try
            {
                SendUntilStopped(loop);
            }
            finally
            {
                FinalFlush(loop);
                loop.Connection?.Dispose();
                loop.Channel?.Dispose();
            }
        }
        catch (Exception e) when (!IsCancellationByStop(e))
        {
            RuntimeLog.Report($"the sender stopped: {OneLine(e.Message)}");
        }
        catch (Exception)
        {
            // A call cut short because the app is exiting is how stopping works, not a failure to report;
            // the final flush above has already run.
        }
    }

    private bool IsCancellationByStop(Exception e) =>
        _stopping.IsCancellationRequested &&
        (e is OperationCanceledException || (e is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled));

    private void SendUntilStopped(LoopState loop)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var client = Client(loop);
                if (!loop.IsSet)
                {
                    SetSrcs(client, token);
                    loop.IsSet = true;
                    Recovered(loop);
                }

                if (loop.Connection is null)
                {
                    loop.Connection = Connect(client, resendAll: true);
                    if (Outbox.IsEmpty)
                    {
                        // Nothing to deliver: no evidence the server is back, and nothing that waits for it either.
                        Recovered(loop);
                    }
                }

                if (token.WaitHandle.WaitOne(_settings.FlushInterval))
                {
                    return;
                }

                Flush(loop.Connection, final: false);
                if (loop.Connection.HasAcked)
                {
                    Recovered(loop);
                }
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                loop.Connection?.Dispose();
                loop.Connection = null;
                if (!Failed(e, loop))
                {
                    return;
                }

                if (_settings.Addresses.Count > 1 && IsUnreachable(e))
                {
                    NextHost(loop);
                }

                WaitDraining(_backoff.Next(), token);
            }
        }
    }

    // The server in use, and the channel to it: one at a time, the next one in the list after a failure to reach it.
    private Uri Current => _settings.Addresses[_host];

    private int NextHostIndex => (_host + 1) % _settings.Addresses.Count;

    private Traces.TracesClient Client(LoopState loop)
    {
        if (loop.Client is null)
        {
            loop.Channel = CreateChannel();
            loop.Client = new Traces.TracesClient(loop.Channel);
        }

        return loop.Client;
    }

    private static bool IsUnreachable(Exception e) =>
        (e as RpcException ?? e.InnerException as RpcException)?.StatusCode is null or StatusCode.Unavailable or StatusCode.DeadlineExceeded;

    // Another instance may not know this build yet (another store), and knowing it costs one small call.
    private void NextHost(LoopState loop)
    {
        loop.Channel?.Dispose();
        loop.Channel = null;
        loop.Client = null;
        loop.IsSet = false;
        _host = NextHostIndex;
    }

    // Whether to keep trying.
    private bool Failed(Exception e, LoopState loop)
    {
        var status = (e as RpcException ?? e.InnerException as RpcException)?.StatusCode;
        if (status == StatusCode.NotFound)
        {
            // The app was deleted on the server (reset all), or its version dropped: set it again before sending more counts.
            loop.IsSet = false;
        }
        else if (status == StatusCode.InvalidArgument && Outbox.DropOldest() is { } dropped)
        {
            RuntimeLog.Report($"the server refused batch {dropped.Sequence} as malformed ({OneLine(e.Message)}); its counts are dropped.");
        }

        var now = DateTime.UtcNow;
        if (loop.OutageSince is not { } since)
        {
            loop.OutageSince = now;
            // A refused key is a configuration problem, not an outage: say which setting to fix. The sender keeps
            // retrying, so a server whose key is corrected (or rotated back) receives every count.
            RuntimeLog.Report(status == StatusCode.Unauthenticated
                ? $"the Coldmod server at {Current.Authority} refused the API key (wrong API key? set COLDMOD_API_KEY to the server's key) ({OneLine(e.Message)}); counts are kept and retried."
                : $"cannot reach the Coldmod server at {Current.Authority} ({OneLine(e.Message)}); counts are kept and retried{NextHostHint(e)}.");
            return true;
        }

        if (now - since > _giveUpAfter)
        {
            RuntimeLog.Report($"gave up on the Coldmod server at {Current.Authority} after {(now - since).TotalHours:0.#} hours without delivering; tracing is off.");
            return false;
        }

        return true;
    }

    private string NextHostHint(Exception e) =>
        _settings.Addresses.Count > 1 && IsUnreachable(e) ? $", on {_settings.Addresses[NextHostIndex].Authority} next" : "";

    private void Recovered(LoopState loop)
    {
        _backoff.Reset();
        if (loop.OutageSince is not null)
        {
            loop.OutageSince = null;
            RuntimeLog.Report($"reconnected to the Coldmod server at {Current.Authority}.");
        }
    }

    // While the server is away, counts keep moving into the one pending batch, so the dirty lists stay short.
    private void WaitDraining(TimeSpan delay, CancellationToken token)
    {
        var until = DateTime.UtcNow + delay;
        while (!token.IsCancellationRequested)
        {
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            if (token.WaitHandle.WaitOne(left < _settings.FlushInterval ? left : _settings.FlushInterval))
            {
                return;
            }

            Drain(sweep: false);
        }
    }

    private void Drain(bool sweep)
    {
        var hits = _drain(sweep);
        DrainLedger.Record(hits);
        Outbox.Add(hits);
    }

    private void Flush(CollectConnection connection, bool final)
    {
        Drain(sweep: final);
        connection.ThrowIfFailed();
        while (Outbox.FreezePending(evenIfInFlight: final) is { } batch)
        {
            connection.Send(batch);
            if (!final)
            {
                return;
            }
        }
    }

    private CollectConnection Connect(Traces.TracesClient client, bool resendAll)
    {
        Interlocked.Increment(ref _connections);
        var connection = new CollectConnection(client, Headers(), Outbox);
        if (resendAll)
        {
            foreach (var batch in Outbox.Unacknowledged())
            {
                connection.Send(batch);
            }
        }

        return connection;
    }

    // A build the server already has costs one small call: the version id, not the srcs. Only the first process of a
    // build (or one whose version was dropped) sends them, on a second call.
    private void SetSrcs(Traces.TracesClient client, CancellationToken token)
    {
        var srcs = _version is null ? _srcs() : null;
        var version = _version ??= AppVersion.Of(srcs!);
        var label = _settings.VersionLabel ?? "";
        var reply = CallSet(client, new SetRequest { App = _settings.App, Version = version, Label = label, VersionOnly = true }, token);
        if (reply.VersionUnknown)
        {
            var request = new SetRequest { App = _settings.App, Version = version, Label = label };
            foreach (var src in srcs ?? _srcs())
            {
                request.Srcs.Add(new Src { Key = src.Key, File = src.File, Line = (uint)Math.Max(src.Line, 0), Label = src.Label ?? "" });
            }

            CallSet(client, request, token);
            Interlocked.Add(ref _srcsSent, request.Srcs.Count);
        }

        Outbox.Version = version;
    }

    private SetReply CallSet(Traces.TracesClient client, SetRequest request, CancellationToken token)
    {
        Interlocked.Add(ref _setBytes, request.CalculateSize());
        return client.SetAsync(request, Headers(), DateTime.UtcNow + s_callTimeout, token).ResponseAsync.GetAwaiter().GetResult();
    }

    // At exit: everything counted so far, with one connection attempt if there is none, within the exit budget.
    private void FinalFlush(LoopState loop)
    {
        if (Volatile.Read(ref _stopped) == 0)
        {
            return;
        }

        var deadline = DateTime.UtcNow + _exitBudget;
        try
        {
            var client = Client(loop);
            if (!loop.IsSet)
            {
                using var timeout = new CancellationTokenSource(_exitBudget);
                SetSrcs(client, timeout.Token);
                loop.IsSet = true;
            }

            if (loop.Connection is null || loop.Connection.Failed)
            {
                loop.Connection?.Dispose();
                loop.Connection = Connect(client, resendAll: true);
            }

            Flush(loop.Connection, final: true);
            while (Outbox.UnacknowledgedCount > 0 && !loop.Connection.Failed && DateTime.UtcNow < deadline)
            {
                loop.Connection.Completion.Wait(TimeSpan.FromMilliseconds(10));
            }

            // An app that exits must not look like a broken connection to the server, which would log an aborted stream
            // at every exit: the stream is completed, and the server's end of the call awaited for what is left of the budget.
            var left = deadline - DateTime.UtcNow;
            loop.Connection.TryComplete(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
        catch (Exception e)
        {
            RuntimeLog.Report($"the final flush to {Current.Authority} did not complete ({OneLine(e.Message)}).");
            return;
        }

        if (!Outbox.IsEmpty)
        {
            RuntimeLog.Report($"the final flush to {Current.Authority} was not acknowledged in time; its counts may be lost.");
        }
    }

    private Metadata Headers()
    {
        var headers = new Metadata();
        if (_settings.ApiKey is { } key)
        {
            headers.Add("authorization", "Bearer " + key);
        }

        return headers;
    }

#if NET
    private GrpcChannel CreateChannel()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            // A server that vanished without closing the connection is noticed by the pings, not after hours.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            EnableMultipleHttp2Connections = true,
        };
        if (_settings.TlsCaFile is { } caFile)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                TrustedByCa(certificate, errors, roots);
        }

        return GrpcChannel.ForAddress(Current, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private static bool TrustedByCa(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
#else
    // The netstandard2.0 build runs only on .NET Core 3+ (never traced on .NET Framework), where HttpClientHandler is
    // SocketsHttpHandler underneath and speaks HTTP/2; its keep-alive pings cannot be set through this API, so a server
    // that vanished without closing the connection is noticed when a call times out.
    private GrpcChannel CreateChannel()
    {
        var handler = new HttpClientHandler();
        if (_settings.TlsCaFile is { } caFile)
        {
            var roots = PemCertificates.Read(caFile);
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                TrustedByCa(certificate, errors, roots);
        }

        return GrpcChannel.ForAddress(Current, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    // Without a custom trust store in this API: the chain is built with the CA as an extra certificate, and trusted only
    // when it ends at that very CA and the CA being unknown to the machine is its only fault.
    private static bool TrustedByCa(X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        if (!chain.Build(certificate))
        {
            return false;
        }

        var anchor = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
        return roots.Cast<X509Certificate2>().Any(root => root.RawData.AsSpan().SequenceEqual(anchor.RawData))
            && chain.ChainStatus.All(status => status.Status is X509ChainStatusFlags.NoError or X509ChainStatusFlags.UntrustedRoot);
    }
#endif

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private sealed class LoopState
    {
        public bool IsSet { get; set; }

        public CollectConnection? Connection { get; set; }

        public GrpcChannel? Channel { get; set; }

        public Traces.TracesClient? Client { get; set; }

        public DateTime? OutageSince { get; set; }
    }
}
