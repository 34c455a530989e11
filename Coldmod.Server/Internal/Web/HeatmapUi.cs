using System.Text;
using Coldmod.Server.Components;
using Coldmod.Server.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Coldmod.Server.Internal.Web;

// The heatmap page (Blazor, interactive server rendering) and the downloads of its current view.
internal static class HeatmapUi
{
    public static IServiceCollection AddHeatmapUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        return services;
    }

    public static IEndpointRouteBuilder MapHeatmapUi(this IEndpointRouteBuilder endpoints)
    {
        // Named after this assembly, not the entry one: the server is also hosted by `coldmod serve` and by tests.
        // The packed dotnet tool does not carry the assets yet; the server must still start there.
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{typeof(HeatmapUi).Assembly.GetName().Name}.staticwebassets.endpoints.json");
        if (File.Exists(manifest))
        {
            endpoints.MapStaticAssets(manifest);
        }
        else
        {
            ServerLog.WebAssetsMissing(endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HeatmapUi)), manifest);
        }
        endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode(server => server.ContentSecurityFrameAncestorsPolicy = "'none'");
        endpoints.MapGet("/download/{app}.csv", DownloadCsv);
        endpoints.MapGet("/download/{app}.json", DownloadJson);
        return endpoints;
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> DownloadCsv(
        string app, string? bands, string? search, string? since, [FromQuery(Name = "entry_points")] string? entryPoints, IHeatmapView view, TimeProvider time) =>
        Download(app, bands, search, since, entryPoints, view, (snapshot, shown) =>
            TypedResults.File(Encoding.UTF8.GetBytes(HeatExport.Csv(shown, snapshot.Scale, time.GetUtcNow())), "text/csv; charset=utf-8", $"{app}-heatmap.csv"));

    private static Results<FileContentHttpResult, ProblemHttpResult> DownloadJson(
        string app, string? bands, string? search, string? since, [FromQuery(Name = "entry_points")] string? entryPoints, IHeatmapView view) =>
        Download(app, bands, search, since, entryPoints, view, (snapshot, shown) =>
            TypedResults.File(HeatExport.Json(app, shown, snapshot.Scale), "application/json", $"{app}-heatmap.json"));

    private static Results<FileContentHttpResult, ProblemHttpResult> Download(
        string app, string? bands, string? search, string? since, string? entryPoints, IHeatmapView view, Func<HeatSnapshot, IReadOnlyList<HeatEntry>, FileContentHttpResult> write)
    {
        if (!HeatFilterQuery.TryParse(bands, search, since, entryPoints, out var filter, out var problem))
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }

        if (view.Snapshot(app) is not { } snapshot)
        {
            return TypedResults.Problem($"app '{app}' has no srcs on this server; it must call Set first", statusCode: StatusCodes.Status404NotFound);
        }

        return write(snapshot, filter.Apply(snapshot.Entries, snapshot.Scale));
    }
}
