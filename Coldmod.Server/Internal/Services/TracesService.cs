using Coldmod.Protocol;
using Coldmod.Server.Internal.Connect;
using Coldmod.Server.Internal.Store;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Coldmod.Server.Internal.Services;

internal sealed class TracesService(
    IHeatmapStore store,
    ConnectSessions sessions,
    IHostApplicationLifetime lifetime,
    ILogger<TracesService> logger) : Traces.TracesBase
{
    public override async Task<SetReply> Set(SetRequest request, ServerCallContext context)
    {
        if (RequestRules.Set(request) is { } problem)
        {
            throw Invalid(context, problem);
        }

        var result = await StoreCalls.Run(store.SetAsync(request));
        if (result.VersionUnknown)
        {
            ServerLog.VersionUnknown(logger, request.App, result.Version);
        }
        else if (request.VersionOnly)
        {
            ServerLog.VersionStarted(logger, request.App, result.Version, result.Kept);
        }
        else
        {
            ServerLog.SrcsSet(logger, request.App, result.Version, result.Added, result.Removed, result.Kept);
        }

        return new SetReply
        {
            Added = (ulong)result.Added,
            Removed = (ulong)result.Removed,
            Kept = (ulong)result.Kept,
            Version = result.Version,
            Current = result.Current,
            VersionUnknown = result.VersionUnknown,
        };
    }

    public override async Task<FetchReply> Fetch(FetchRequest request, ServerCallContext context)
    {
        if (RequestRules.App(request.App) is { } problem)
        {
            throw Invalid(context, problem);
        }

        var view = await StoreCalls.Read(store.FetchAsync(request.App, request.All)) ?? throw UnknownApp(context, request.App);
        var reply = new FetchReply { Version = view.Version, Label = view.Label };
        reply.Srcs.AddRange(view.Current.Select(Heat));
        reply.OlderSrcs.AddRange(view.OlderOnly.Select(Heat));
        return reply;
    }

    public override async Task Collect(IAsyncStreamReader<Batch> requestStream, IServerStreamWriter<Ack> responseStream, ServerCallContext context)
    {
        var call = new CollectCall(store, requestStream, responseStream, context, lifetime.ApplicationStopping, logger);
        if (await call.RunAsync() is { } ending)
        {
            throw ending;
        }
    }

    public override async Task Mod(IAsyncStreamReader<ModMessage> requestStream, IServerStreamWriter<ModCommand> responseStream, ServerCallContext context)
    {
        ServerLog.ModConnected(logger, context.Peer);
        using var open = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        ConnectLink? link = null;
        try
        {
            while (await requestStream.MoveNext(open.Token))
            {
                var message = requestStream.Current;
                if (link is null)
                {
                    link = await OpenSessionAsync(message, responseStream, context, open.Token);
                    continue;
                }

                switch (message.KindCase)
                {
                    case ModMessage.KindOneofCase.Inventory:
                        if (RequestRules.Inventory(message.Inventory) is { } inventoryProblem)
                        {
                            throw Invalid(context, inventoryProblem);
                        }

                        if (link.Receive(message.Inventory) is { } sizeProblem)
                        {
                            throw Invalid(context, sizeProblem);
                        }

                        break;
                    case ModMessage.KindOneofCase.Result:
                        if (RequestRules.Result(message.Result) is { } resultProblem)
                        {
                            throw Invalid(context, resultProblem);
                        }

                        link.Receive(message.Result);
                        break;
                    default:
                        throw Invalid(context, $"{Describe(message)} after the hello; a connected CLI sends only inventory and result messages");
                }
            }
        }
        catch (Exception e) when (open.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away or the server is stopping: either way the stream is over.
        }
        finally
        {
            link?.Dispose();
            ServerLog.ModDisconnected(logger, context.Peer);
        }
    }

    private async Task<ConnectLink> OpenSessionAsync(
        ModMessage message, IServerStreamWriter<ModCommand> responseStream, ServerCallContext context, CancellationToken cancellationToken)
    {
        if (message.KindCase != ModMessage.KindOneofCase.Hello)
        {
            throw Invalid(context, $"{Describe(message)} before the hello; the first message on Mod must be a hello");
        }

        var hello = message.Hello;
        if (RequestRules.Hello(hello) is { } problem)
        {
            throw Invalid(context, problem);
        }

        var link = sessions.Attach(hello, responseStream, context.Peer);
        if (link is null)
        {
            ServerLog.ConnectSessionHeld(logger, ConnectSessions.Short(hello.SessionId), context.Peer);
            throw new RpcException(new Status(StatusCode.AlreadyExists,
                $"session {hello.SessionId} is held by another connected CLI; stop that `coldmod connect`, or run `coldmod connect` without a URL for a new session"));
        }

        try
        {
            await link.AnswerHelloAsync(cancellationToken);
        }
        catch
        {
            link.Dispose();
            throw;
        }

        return link;
    }

    private static string Describe(ModMessage message) => message.KindCase switch
    {
        ModMessage.KindOneofCase.Hello => "a second hello",
        ModMessage.KindOneofCase.Inventory => "an inventory",
        ModMessage.KindOneofCase.Result => "a result",
        _ => "a message with no kind",
    };

    private RpcException Invalid(ServerCallContext context, string problem)
    {
        ServerLog.InvalidArgument(logger, context.Method, context.Peer, problem);
        return StoreCalls.InvalidArgument(problem);
    }

    private RpcException UnknownApp(ServerCallContext context, string app)
    {
        ServerLog.UnknownApp(logger, context.Method, context.Peer, app);
        return StoreCalls.UnknownApp(app);
    }

    private static HeatSrc Heat(HeatRow row) => new()
    {
        Key = row.Key,
        File = row.File,
        Line = (uint)row.Line,
        Count = (ulong)row.Count,
        FirstSeen = Time(row.FirstSeen),
        LastSeen = Time(row.LastSeen),
        Estimated = (ulong)row.Estimated,
        EstimateError = Math.Sqrt(Math.Max(row.EstimateVariance, 0)),
        TrackedSince = row.TrackedSince > 0 ? Time(row.TrackedSince) : null,
        Label = row.Label,
    };

    private static Timestamp? Time(long? unixMilliseconds) =>
        unixMilliseconds is { } ms ? Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(ms)) : null;
}
