using Coldmod.Protocol;
using Coldmod.Server.Internal.Store;
using Grpc.Core;

namespace Coldmod.Server.Internal.Services;

internal sealed class OpsService(
    StoreWriter writer,
    StoreReader reader,
    ModRegistry mods,
    ILogger<OpsService> logger) : Ops.OpsBase
{
    public override Task<StatusReply> Status(StatusRequest request, ServerCallContext context)
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

        var counts = StoreCalls.Read(() => reader.Status(app)) ?? throw UnknownApp(context, request.App);
        var reply = new StatusReply
        {
            Srcs = (ulong)counts.Srcs,
            Cold = (ulong)counts.Cold,
            HitsTotal = (ulong)counts.HitsTotal,
            UnknownKeyHits = (ulong)counts.UnknownKeyHits,
            BatchesApplied = (ulong)counts.BatchesApplied,
            DuplicateBatches = (ulong)counts.DuplicateBatches,
            ModClients = (uint)mods.Count,
        };
        reply.Apps.AddRange(counts.Apps);
        return Task.FromResult(reply);
    }

    public override async Task<ResetReply> ResetHeatmap(ResetRequest request, ServerCallContext context)
    {
        if (RequestRules.App(request.App) is { } problem)
        {
            throw Invalid(context, problem);
        }

        var srcs = await StoreCalls.Run(writer.Enqueue(session => session.ResetHeatmap(request.App))) ?? throw UnknownApp(context, request.App);
        ServerLog.HeatmapReset(logger, request.App, srcs);
        return new ResetReply { Apps = 1, Srcs = (ulong)srcs };
    }

    public override async Task<ResetReply> ResetAll(ResetRequest request, ServerCallContext context)
    {
        var (apps, srcs) = await StoreCalls.Run(writer.Enqueue(session => session.ResetAll()));
        ServerLog.AllReset(logger, apps, srcs);
        return new ResetReply { Apps = (ulong)apps, Srcs = (ulong)srcs };
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
