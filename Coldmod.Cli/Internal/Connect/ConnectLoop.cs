using Coldmod.Cli.Commands;
using Coldmod.Protocol;
using Grpc.Core;

namespace Coldmod.Cli.Internal.Connect;

// The CLI's side of a connect session: one Mod stream at a time, opened again with backoff whenever the server goes
// away, always asking for the same session, so a page left open carries on after a server restart.
internal sealed class ConnectLoop(
    CheckoutInventory initial,
    ServerClient server,
    ModHello hello,
    string? webHost,
    bool openPage,
    CheckoutReader reader,
    CheckoutActions actions,
    CommandContext context)
{
    public const int ChunkSize = 2_000;

    private static readonly TimeSpan s_poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_maxRetry = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(5);

    // One thing at a time touches the checkout: a command, or a re-read of the build.
    private readonly SemaphoreSlim _work = new(1, 1);
    // gRPC allows one write at a time on the request stream.
    private readonly SemaphoreSlim _sending = new(1, 1);
    private CheckoutInventory _inventory = initial;
    private Fingerprint _fingerprint = Fingerprint.Of([]);
    private bool _connectedOnce;

    public async Task<int> RunAsync(CancellationToken stopping)
    {
        _fingerprint = Fingerprint.Of(_inventory.WatchedFiles);
        var failures = 0;
        var announcedGone = false;
        while (true)
        {
            try
            {
                await RunStreamAsync(stopping, () =>
                {
                    failures = 0;
                    if (announcedGone)
                    {
                        Say("reconnected");
                        announcedGone = false;
                    }
                });
                return ExitCodes.Success;
            }
            catch (Exception e) when (stopping.IsCancellationRequested && (IsServerGone(e) || e is OperationCanceledException))
            {
                return ExitCodes.Success;
            }
            catch (Exception e) when (_connectedOnce && IsServerGone(e))
            {
                if (!announcedGone)
                {
                    Say($"server gone, reconnecting… ({Describe(e)})");
                    announcedGone = true;
                }
            }
            catch (RpcException e)
            {
                throw new CommandFailedException(server.Explain(e, hello.App));
            }
            catch (ServerGoneException e)
            {
                throw new CommandFailedException($"The server at {server.Address} did not open the connect session: {e.Message}.");
            }

            server.TryNextHost();
            try
            {
                await Task.Delay(Backoff(failures++), stopping);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Success;
            }
        }
    }

    // Full jitter: a random wait up to an exponentially growing bound, so CLIs of a restarted server do not return in step.
    private static TimeSpan Backoff(int failures)
    {
        var bound = Math.Min(s_maxRetry.TotalMilliseconds, s_firstRetry.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * bound);
    }

    private async Task RunStreamAsync(CancellationToken stopping, Action connected)
    {
        using var cancel = new CancellationTokenSource();
        using var call = server.Traces.Mod(server.StreamOptions(cancel.Token));
        var closing = Task.CompletedTask;
        await using var stop = stopping.Register(() => closing = CloseAsync(call, cancel));
        await SendAsync(call, new ModMessage { Hello = hello });
        if (!await call.ResponseStream.MoveNext(cancel.Token))
        {
            throw new ServerGoneException("the server closed the stream before naming the session");
        }

        var answer = call.ResponseStream.Current;
        if (answer.KindCase != ModCommand.KindOneofCase.Session)
        {
            throw new CommandFailedException($"The server at {server.Address} answered the hello with {answer.KindCase}, not a session; is it an older Coldmod server?");
        }

        hello.SessionId = answer.Session.SessionId;
        if (!_connectedOnce)
        {
            _connectedOnce = true;
            var url = WebPage.BaseUrl(webHost, context) + answer.Session.PagePath.TrimStart('/');
            Say($"Connected: {url}");
            if (openPage)
            {
                WebPage.OpenWhenDisplayed(url, context);
            }
        }

        connected();
        await _work.WaitAsync(cancel.Token);
        try
        {
            await SendInventoryAsync(call, _inventory);
        }
        finally
        {
            _work.Release();
        }

        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
        var poll = PollAsync(call, polling.Token);
        try
        {
            while (await call.ResponseStream.MoveNext(cancel.Token))
            {
                await CarryOutAsync(call, call.ResponseStream.Current, cancel.Token);
            }
        }
        finally
        {
            await polling.CancelAsync();
            await poll;
        }

        if (stopping.IsCancellationRequested)
        {
            await cancel.CancelAsync();
            await closing;
            return;
        }

        throw new ServerGoneException("the server ended the stream");
    }

    private async Task CarryOutAsync(AsyncDuplexStreamingCall<ModMessage, ModCommand> call, ModCommand command, CancellationToken cancellationToken)
    {
        await _work.WaitAsync(cancellationToken);
        try
        {
            // A source edited since the last poll makes the build stale now, not in up to two seconds.
            await RefreshAsync(call);
            var outcome = actions.Run(command, _inventory);
            Log(command, outcome);
            await SendAsync(call, new ModMessage
            {
                Result = new ModResult { CommandId = command.CommandId, Ok = outcome.Ok, Output = outcome.Output, Error = outcome.Error },
            });
            if (outcome.Ok && CheckoutActions.Edits(command))
            {
                await RefreshAsync(call, force: true);
            }
        }
        finally
        {
            _work.Release();
        }
    }

    private async Task PollAsync(AsyncDuplexStreamingCall<ModMessage, ModCommand> call, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(s_poll);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await _work.WaitAsync(cancellationToken);
                try
                {
                    await RefreshAsync(call);
                }
                finally
                {
                    _work.Release();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException || IsServerGone(e))
        {
            // The stream is over; the read loop notices and reconnects or stops.
        }
    }

    // Reads the build again when a file it depends on changed (or always, after an edit), and tells the page if it differs.
    private async Task RefreshAsync(AsyncDuplexStreamingCall<ModMessage, ModCommand> call, bool force = false)
    {
        var noBuild = _inventory.Keys.Count == 0 && _inventory.Stale.Length > 0;
        var fingerprint = Fingerprint.Of(_inventory.WatchedFiles);
        if (!force && !noBuild && fingerprint.Equals(_fingerprint))
        {
            return;
        }

        var inventory = reader.ReadOrExplain();
        _fingerprint = Fingerprint.Of(inventory.WatchedFiles);
        if (inventory.SameAs(_inventory))
        {
            _inventory = inventory;
            return;
        }

        _inventory = inventory;
        if (inventory.Stale.Length > 0)
        {
            Say($"build stale, commands refused until it is rebuilt: {inventory.Stale}");
        }

        await SendInventoryAsync(call, inventory);
    }

    private async Task SendInventoryAsync(AsyncDuplexStreamingCall<ModMessage, ModCommand> call, CheckoutInventory inventory)
    {
        var chunks = inventory.Keys.Chunk(ChunkSize).ToList();
        if (chunks.Count == 0)
        {
            chunks.Add([]);
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            var message = new ModInventory { First = i == 0, Last = i == chunks.Count - 1, Stale = inventory.Stale };
            message.Keys.AddRange(chunks[i].Select(k => new ModLocalKey { Key = k.Key, File = k.File, Line = (uint)Math.Max(k.Line, 0), References = (uint)k.References }));
            await SendAsync(call, new ModMessage { Inventory = message });
        }
    }

    private async Task SendAsync(AsyncDuplexStreamingCall<ModMessage, ModCommand> call, ModMessage message)
    {
        await _sending.WaitAsync();
        try
        {
            await call.RequestStream.WriteAsync(message);
        }
        finally
        {
            _sending.Release();
        }
    }

    // Ctrl+C: complete the stream so the server sees a CLI that left, not a dropped connection; give up after a while.
    private async Task CloseAsync(AsyncDuplexStreamingCall<ModMessage, ModCommand> call, CancellationTokenSource cancel)
    {
        try
        {
            await _sending.WaitAsync();
            try
            {
                await call.RequestStream.CompleteAsync();
            }
            finally
            {
                _sending.Release();
            }

            await Task.Delay(s_closeTimeout, cancel.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException or IOException)
        {
            // Already closed, or the server is gone: nothing left to close.
        }
        finally
        {
            try
            {
                await cancel.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended on its own first.
            }
        }
    }

    private void Log(ModCommand command, CommandOutcome outcome)
    {
        var verb = command.KindCase switch
        {
            ModCommand.KindOneofCase.Ignore => "ignore",
            ModCommand.KindOneofCase.Remove => command.DryRun ? "rm --dry-run" : "rm",
            ModCommand.KindOneofCase.Open => "open",
            _ => command.KindCase.ToString(),
        };
        var keys = command.KindCase switch
        {
            ModCommand.KindOneofCase.Ignore => command.Ignore.Keys,
            ModCommand.KindOneofCase.Remove => command.Remove.Keys,
            ModCommand.KindOneofCase.Open => command.Open.Keys,
            _ => [],
        };
        var result = outcome.Ok ? "done" : $"refused: {outcome.Error.Split('\n')[0]}";
        Say($"{verb} {string.Join(' ', keys)}: {result}");
    }

    private void Say(string line)
    {
        context.Out.WriteLine(line);
        context.Out.Flush();
    }

    private static bool IsServerGone(Exception e) => e switch
    {
        ServerGoneException or IOException or InvalidOperationException => true,
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled
            or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.AlreadyExists,
        _ => false,
    };

    private static string Describe(Exception e) => e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : e.Message;
}
