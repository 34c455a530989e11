namespace TodoApi;

// A hosted service: started once with the app, so it is hot after any run.
public sealed class Janitor(ILogger<Janitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogDebug("Janitor started");
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: nothing to clean up in memory.
        }
    }
}
