using System.Collections.Concurrent;
using System.Globalization;
using Coldmod.Protocol;
using Grpc.Core;

namespace Coldmod.Server.Internal.Connect;

// One CLI's open Mod stream serving one session: it writes the commands and matches the results to them.
internal sealed class ConnectLink : IDisposable
{
    private readonly ConnectSessions _sessions;
    private readonly IServerStreamWriter<ModCommand> _writer;
    // gRPC allows one write at a time. Taken until the session's answer to the hello is written, so no command overtakes it.
    private readonly SemaphoreSlim _writing = new(0, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ConnectOutcome>> _pending = new(StringComparer.Ordinal);
    private bool _closed;

    internal ConnectLink(ConnectSessions sessions, string sessionId, bool resumed, IServerStreamWriter<ModCommand> writer)
    {
        _sessions = sessions;
        SessionId = sessionId;
        Resumed = resumed;
        _writer = writer;
    }

    public string SessionId { get; }

    // True when the hello named a session this server already had.
    public bool Resumed { get; }

    public async Task AnswerHelloAsync(CancellationToken cancellationToken)
    {
        try
        {
            var answer = new ModCommand { Session = new ModSession { SessionId = SessionId, PagePath = $"/connect/{SessionId}" } };
            await _writer.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    // The problem with the inventory, or null when it was taken.
    public string? Receive(ModInventory inventory) => _sessions.Receive(this, inventory);

    public void Receive(ModResult result)
    {
        if (_pending.TryRemove(result.CommandId, out var waiting))
        {
            waiting.TrySetResult(new ConnectOutcome(result.Ok, result.Output, result.Ok ? "" : result.Error));
        }
        else
        {
            _sessions.UnknownResult(this, result.CommandId);
        }
    }

    internal async Task<ConnectOutcome> SendAsync(ModCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var answered = new TaskCompletionSource<ConnectOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[command.CommandId] = answered;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await _writing.WaitAsync(deadline.Token).ConfigureAwait(false);
                try
                {
                    if (Volatile.Read(ref _closed))
                    {
                        return Gone();
                    }

                    await _writer.WriteAsync(command, deadline.Token).ConfigureAwait(false);
                }
                finally
                {
                    _writing.Release();
                }

                return await answered.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return answered.Task.IsCompleted ? await answered.Task.ConfigureAwait(false) : DidNotAnswer(timeout);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or RpcException)
            {
                // The stream ended between the look-up and the write.
                return Gone();
            }
        }
        finally
        {
            _pending.TryRemove(command.CommandId, out _);
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _closed, true);
        _sessions.Detach(this);
        foreach (var waiting in _pending.Values)
        {
            waiting.TrySetResult(Gone());
        }
    }

    internal ConnectOutcome Gone() =>
        ConnectOutcome.Failed($"the CLI is gone: the `coldmod connect` of session {SessionId} disconnected; run it again in the checkout");

    private ConnectOutcome DidNotAnswer(TimeSpan timeout) => ConnectOutcome.Failed(string.Create(
        CultureInfo.InvariantCulture,
        $"the CLI did not answer in {timeout.TotalSeconds:0.#} s; check the terminal running `coldmod connect` for session {SessionId}"));
}
