using System.Runtime.InteropServices;
using Coldmod.Cli.Internal;
using Coldmod.Cli.Internal.Connect;
using Coldmod.Cli.Options;
using Coldmod.Protocol;
using Coldmod.Weaver;

namespace Coldmod.Cli.Commands;

internal sealed class ConnectCommand(CommandContext context) : ICommand<ConnectOptions>
{
    public int Execute(ConnectOptions options)
    {
        var sessionId = ConnectUrl.SessionId(options.Url);
        WebPage.BaseUrl(options.WebHost, context);
        var reader = new CheckoutReader(options, context);
        var root = RootMarker.Find(context.WorkingDirectory);
        // The build must be readable to start with; later, a missing build only makes the session stale.
        var inventory = reader.Read();

        using var server = ServerClient.Connect(options.GrpcHost, context);
        var app = server.ResolveApp(options.App);
        var hello = new ModHello { App = app, Root = root.RootDirectory, SessionId = sessionId, Host = Environment.MachineName };
        var loop = new ConnectLoop(inventory, server, hello, options.WebHost, !options.NoOpen, reader, new CheckoutActions(options, context), context);

        // Ctrl+C and SIGTERM end the session's stream cleanly rather than killing the process mid-command.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => Stop(signal, stop));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => Stop(signal, stop));
        return loop.RunAsync(stop.Token).GetAwaiter().GetResult();
    }

    private static void Stop(PosixSignalContext signal, CancellationTokenSource stop)
    {
        signal.Cancel = true;
        stop.Cancel();
    }
}
