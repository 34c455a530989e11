using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;
using Coldmod.Protocol;

namespace Coldmod.Cli.Commands;

internal sealed class ResetCommand(CommandContext context) : ICommand<ResetOptions>
{
    public int Execute(ResetOptions options)
    {
        if (options.All && options.App is not null)
        {
            throw new UsageException("--all resets every app; leave out --app, or --all to reset one app.");
        }

        using var server = ServerClient.Connect(options.GrpcHost, context);
        if (!options.Confirm)
        {
            var what = options.All ? $"every app on the server at {server.Address}" : "the app's counts";
            throw new UsageException($"reset deletes {what} and cannot be undone; add --confirm to go ahead.");
        }

        if (options.All)
        {
            var all = server.Call(() => server.Ops.ResetAll(new ResetRequest(), server.CallOptions()));
            context.Out.WriteLine($"deleted {Plural.Count((int)all.Apps, "app")} with {Plural.Count((int)all.Srcs, "src")} from the server at {server.Address}");
            return ExitCodes.Success;
        }

        var app = server.ResolveApp(options.App);
        var reply = server.Call(() => server.Ops.ResetHeatmap(new ResetRequest { App = app }, server.CallOptions()), app);
        context.Out.WriteLine($"reset the heatmap of {app}: {Plural.Count((int)reply.Srcs, "src")} back to 0");
        return ExitCodes.Success;
    }
}
