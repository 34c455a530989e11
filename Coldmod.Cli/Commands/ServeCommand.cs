using System.Runtime.InteropServices;
using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;
using Coldmod.Server;
using Microsoft.Extensions.Logging;

namespace Coldmod.Cli.Commands;

internal sealed class ServeCommand(CommandContext context) : ICommand<ServeOptions>
{
    private const string StoreSetting = "COLDMOD_STORE";
    private const string LogLevelSetting = "COLDMOD_LOG_LEVEL";
    private const string DefaultStoreFile = "coldmod.db";

    private static readonly string[] s_settings =
    [
        "COLDMOD_GRPC_HOST", "COLDMOD_WEB_HOST", StoreSetting, "COLDMOD_INSECURE", "COLDMOD_API_KEY",
        "COLDMOD_TLS_CERT", "COLDMOD_TLS_KEY", "COLDMOD_MAX_MESSAGE_SIZE", LogLevelSetting,
    ];

    public int Execute(ServeOptions options)
    {
        CheckLogLevel();

        // The settings are handed over as configuration arguments read from the command's environment, which is the
        // process's own outside tests. The default store is spelled out because the server would resolve it against
        // the process's current directory, and the command's working directory is the one the user meant.
        var args = new List<string>();
        foreach (var name in s_settings)
        {
            if (context.Environment(name) is { } value)
            {
                args.Add($"--{name}={value}");
            }
        }

        if (context.Setting(StoreSetting) is null)
        {
            args.Add($"--{StoreSetting}={Path.Combine(context.WorkingDirectory, DefaultStoreFile)}");
        }

        // Ctrl+C and SIGTERM stop the server cleanly (it acknowledges the batches it holds) instead of killing the
        // process; the handlers are registered only while serving, so other verbs still die on Ctrl+C as usual.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => Stop(signal, stop));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => Stop(signal, stop));
        return ColdmodServer.RunAsync([.. args], stop.Token).GetAwaiter().GetResult();
    }

    // The server refuses a bad level too, but as a start-up failure (exit code 1); from the command line it is a typo in
    // what the user typed, like any other option value.
    private void CheckLogLevel()
    {
        if (context.Setting(LogLevelSetting) is not { } value)
        {
            return;
        }

        var names = Enum.GetNames<LogLevel>();
        if (!names.Any(name => name.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            throw new UsageException($"{LogLevelSetting}='{value}' is not a log level: use one of {string.Join(", ", names.Select(n => n.ToLowerInvariant()))}.");
        }
    }

    private static void Stop(PosixSignalContext signal, CancellationTokenSource stop)
    {
        signal.Cancel = true;
        stop.Cancel();
    }
}
