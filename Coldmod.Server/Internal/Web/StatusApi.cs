using Coldmod.Server.Internal.Connect;
using Coldmod.Server.Internal.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coldmod.Server.Internal.Web;

// The web port's endpoints until the heatmap UI arrives: an open liveness probe, and the counters
// behind basic auth (unless insecure).
internal static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new HealthJson("ok")));

        var api = endpoints.MapGroup("/api").AddEndpointFilter<BasicAuthFilter>();
        api.MapGet("/status", GetStatus);
        return endpoints;
    }

    private static async Task<Results<Ok<StatusJson>, ProblemHttpResult>> GetStatus(IHeatmapStore store, ConnectSessions sessions)
    {
        StatusCounts counts;
        try
        {
            counts = (await store.StatusAsync(app: null))!;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return TypedResults.Problem($"the store could not be read: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.Ok(new StatusJson(
            "ok",
            counts.Apps,
            counts.Srcs,
            counts.HitsTotal,
            counts.UnknownKeyHits,
            counts.BatchesApplied,
            counts.DuplicateBatches,
            sessions.ConnectedCount));
    }

    internal sealed record HealthJson(string Status);

    internal sealed record StatusJson(
        string Status,
        IReadOnlyList<string> Apps,
        long Srcs,
        long HitsTotal,
        long UnknownKeyHits,
        long BatchesApplied,
        long DuplicateBatches,
        int ModClients);
}
