using Coldmod.Protocol;
using Coldmod.Server.Internal.Configuration;
using Coldmod.Server.Internal.Connect;
using Coldmod.Server.Internal.Store;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Services;

internal sealed class OpsService(
    IHeatmapStore store,
    ConnectSessions sessions,
    IOptions<ServerOptions> options,
    ILogger<OpsService> logger) : Ops.OpsBase
{
    public override async Task<StatusReply> Status(StatusRequest request, ServerCallContext context)
    {
        string? app = null;
        if (request.App.Length > 0)
        {
            if (RequestRules.App(request.App) is { } problem)
            {
                throw Invalid(context, problem);
            }

            app = request.App;
        }

        var counts = await StoreCalls.Read(store.StatusAsync(app)) ?? throw UnknownApp(context, request.App);
        var reply = new StatusReply
        {
            Srcs = (ulong)counts.Srcs,
            Cold = (ulong)counts.Cold,
            HitsTotal = (ulong)counts.HitsTotal,
            UnknownKeyHits = (ulong)counts.UnknownKeyHits,
            BatchesApplied = (ulong)counts.BatchesApplied,
            DuplicateBatches = (ulong)counts.DuplicateBatches,
            ModClients = (uint)sessions.ConnectedCount,
            OlderSrcs = (ulong)counts.OlderSrcs,
            Versions = (ulong)counts.Versions,
        };
        reply.Apps.AddRange(counts.Apps);
        return reply;
    }

    public override async Task<ResetReply> ResetHeatmap(ResetRequest request, ServerCallContext context)
    {
        if (RequestRules.App(request.App) is { } problem)
        {
            throw Invalid(context, problem);
        }

        var srcs = await StoreCalls.Run(store.ResetHeatmapAsync(request.App)) ?? throw UnknownApp(context, request.App);
        ServerLog.HeatmapReset(logger, request.App, srcs);
        return new ResetReply { Apps = 1, Srcs = (ulong)srcs };
    }

    public override async Task<ResetReply> ResetAll(ResetRequest request, ServerCallContext context)
    {
        var (apps, srcs) = await StoreCalls.Run(store.ResetAllAsync());
        ServerLog.AllReset(logger, apps, srcs);
        return new ResetReply { Apps = (ulong)apps, Srcs = (ulong)srcs };
    }

    public override async Task<VersionsReply> Versions(VersionsRequest request, ServerCallContext context)
    {
        if (RequestRules.App(request.App) is { } problem)
        {
            throw Invalid(context, problem);
        }

        var rows = await StoreCalls.Read(store.VersionsAsync(request.App)) ?? throw UnknownApp(context, request.App);
        var reply = new VersionsReply { RetentionSeconds = (ulong)options.Value.VersionRetentionPeriod.TotalSeconds };
        foreach (var row in rows)
        {
            reply.Versions.Add(new VersionEntry
            {
                Id = row.Id,
                Label = row.Label,
                FirstSeen = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(row.FirstSeen)),
                LastSeen = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(row.LastSeen)),
                Processes = (ulong)row.Processes,
                Srcs = (ulong)row.Srcs,
                Current = row.Current,
            });
        }

        return reply;
    }

    public override async Task<DropVersionReply> DropVersion(DropVersionRequest request, ServerCallContext context)
    {
        if ((RequestRules.App(request.App) ?? RequestRules.Version(request.Version)) is { } problem)
        {
            throw Invalid(context, problem);
        }

        var result = await StoreCalls.Run(store.DropVersionAsync(request.App, request.Version))
            ?? throw UnknownApp(context, request.App);
        if (!result.Found)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound,
                $"app '{request.App}' has no version '{request.Version}'; 'coldmod versions' lists the versions it has"));
        }

        ServerLog.VersionDropped(logger, request.App, request.Version, result.Srcs);
        return new DropVersionReply { Srcs = (ulong)result.Srcs, WasCurrent = result.WasCurrent, Current = result.Current };
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
}
