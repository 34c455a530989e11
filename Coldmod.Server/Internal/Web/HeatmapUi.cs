using System.Reflection;
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

    // The HttpContext item in which the page, answering 404 for an unknown app or connect session, says what is missing.
    public const string NotFoundItem = "coldmod.not-found";

    // Blazor sends the page's 404 without a body, and the browser would show its own error page instead; the body is
    // the page's own explanation.
    public static IApplicationBuilder UseHeatmapNotFound(this IApplicationBuilder app) => app.UseStatusCodePages(context =>
    {
        var http = context.HttpContext;
        if (http.Items[NotFoundItem] is not string text)
        {
            return Task.CompletedTask;
        }

        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync($"404: {text}\n");
    });

    public static IEndpointRouteBuilder MapHeatmapUi(this IEndpointRouteBuilder endpoints)
    {
        if (FindAssetsManifest() is { } manifest)
        {
            endpoints.MapStaticAssets(manifest);
        }
        else
        {
            ServerLog.WebAssetsMissing(endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HeatmapUi)), AssetsManifestName(typeof(HeatmapUi).Assembly));
        }

        endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode(server => server.ContentSecurityFrameAncestorsPolicy = "'none'");
        endpoints.MapGet("/download/{app}.csv", DownloadCsv);
        endpoints.MapGet("/download/{app}.json", DownloadJson);
        return endpoints;
    }

    // A build names the manifest after this assembly, and its assets stay where the build found them. A publish (the
    // packed `coldmod` tool) names it after the program that hosts the server, and its assets are in wwwroot beside
    // it, which is the web root since the content root is the install directory.
    private static string? FindAssetsManifest()
    {
        var candidates = new[] { typeof(HeatmapUi).Assembly, Assembly.GetEntryAssembly() };
        return candidates
            .OfType<Assembly>()
            .Select(AssetsManifestName)
            .FirstOrDefault(File.Exists);
    }

    private static string AssetsManifestName(Assembly assembly) =>
        Path.Combine(AppContext.BaseDirectory, $"{assembly.GetName().Name}.staticwebassets.endpoints.json");

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
