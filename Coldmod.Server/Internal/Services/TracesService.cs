using Coldmod.Protocol;
using Coldmod.Server.Internal.Store;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Coldmod.Server.Internal.Services;

internal sealed class TracesService(
    IHeatmapStore store,
    ModRegistry mods,
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
        using var client = mods.Register(context.Peer);
        ServerLog.ModConnected(logger, client.Id, context.Peer);
        using var open = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            while (await requestStream.MoveNext(open.Token))
            {
                var message = requestStream.Current;
                if (message.KindCase == ModMessage.KindOneofCase.Hello)
                {
                    if (RequestRules.Hello(message.Hello) is { } problem)
                    {
                        throw Invalid(context, problem);
                    }

                    client.App = message.Hello.App;
                    client.Root = message.Hello.Root;
                    ServerLog.ModHello(logger, client.Id, client.App, client.Root);
                }

                // Results answer commands, which a later issue sends; until then there is nothing to match.
            }
        }
        catch (Exception e) when (open.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away or the server is stopping: either way the stream is over.
        }
        finally
        {
            ServerLog.ModDisconnected(logger, client.Id);
        }
    }

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
