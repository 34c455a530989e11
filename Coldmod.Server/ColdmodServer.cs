using Coldmod.Server.Internal;
using Coldmod.Server.Internal.Configuration;
using Coldmod.Server.Internal.Hosting;
using Coldmod.Server.Internal.Web;
using Microsoft.Extensions.Options;

namespace Coldmod.Server;

/// <summary>
/// Hosts the Coldmod backend: the gRPC services Traces and Ops on <c>COLDMOD_GRPC_HOST</c>, the web
/// endpoints on <c>COLDMOD_WEB_HOST</c>, and the heatmap store named by <c>COLDMOD_STORE</c>.
/// Settings come from configuration under their environment variable names, so environment
/// variables, <c>--COLDMOD_STORE=…</c> arguments, or a host's own configuration sources all work.
/// </summary>
public static class ColdmodServer
{
    /// <summary>
    /// Creates a builder with the server's services and listeners registered. A host may add
    /// configuration, logging, or another <c>IServer</c> (such as a test server) before calling
    /// <see cref="Build"/>.
    /// </summary>
    /// <param name="args">Command-line arguments, read as configuration.</param>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // The content root is the install directory, not the working directory: the host watches its
        // content root for configuration changes, and the default store lives in the working directory.
        // The application is this assembly whoever hosts it (`coldmod serve`, tests): the page's static web assets
        // are found by its name, from the build's manifest of them when not running from a publish.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(ColdmodServer).Assembly.GetName().Name,
        });
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddColdmodServer();
        builder.Services.AddHeatmapUi();
        builder.WebHost.ConfigureKestrel(KestrelSetup.Configure);
        return builder;
    }

    /// <summary>
    /// Builds the application and maps its endpoints. Starting it validates the settings (an
    /// <see cref="OptionsValidationException"/> naming each bad variable) and opens the store
    /// (a <see cref="ColdmodStoreException"/> when the file cannot be used) before any port is bound.
    /// Stopping it commits and acknowledges every batch already received.
    /// </summary>
    /// <param name="builder">A builder from <see cref="CreateBuilder"/>.</param>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UseListenerSeparation();
        app.UseWebSecurity();
        app.UseHeatmapNotFound();
        app.UseAntiforgery();
        app.MapColdmodGrpc();
        app.MapStatusApi();
        app.MapHeatmapUi();
        app.Lifetime.ApplicationStarted.Register(() => LogListening(app));
        return app;
    }

    /// <summary>
    /// Runs the server until <paramref name="cancellationToken"/> is cancelled or the process is
    /// asked to stop. A start-up failure is written to standard error as one line.
    /// </summary>
    /// <param name="args">Command-line arguments, read as configuration.</param>
    /// <param name="cancellationToken">Stops the server.</param>
    /// <returns>0 after a clean stop, 1 when the server could not start.</returns>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        try
        {
            var builder = CreateBuilder(args);
            // A failed start is reported below in one line rather than as the host's exception dump.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
            await using var app = Build(builder);
            await HostingAbstractionsHostExtensions.RunAsync(app, cancellationToken);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"coldmod server: {e.Message}");
        }
        catch (ColdmodStoreException e)
        {
            await Console.Error.WriteLineAsync($"coldmod server: {e.Message}");
        }
        catch (IOException e) when (e.Message.Contains("bind", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"coldmod server: {e.Message} Set COLDMOD_GRPC_HOST and COLDMOD_WEB_HOST to free host:port pairs.");
        }

        return 1;
    }

    private static void LogListening(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ColdmodServer));
        ServerLog.Listening(logger, options.GrpcHost, options.WebHost, options.IsInsecure ? "insecure" : "TLS and API key");
        if (options.IsInsecure)
        {
            ServerLog.Insecure(logger);
        }
    }
}
