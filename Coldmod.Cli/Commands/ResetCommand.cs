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

        if (options.All && options.Version is not null)
        {
            throw new UsageException("--all deletes every app; --version drops one build of one app: give one of them.");
        }

        if (options.Version is not null && options.Version.Trim().Length == 0)
        {
            throw new UsageException("--version needs a version id, as 'coldmod versions' lists them.");
        }

        using var server = ServerClient.Connect(options.GrpcHost, context);
        if (!options.Confirm)
        {
            var what = options.All ? $"every app on the server at {server.Address}"
                : options.Version is not null ? $"version {options.Version} with the keys and counts only it has" : "the app's counts";
            throw new UsageException($"reset deletes {what} and cannot be undone; add --confirm to go ahead.");
        }

        if (options.All)
        {
            var all = server.Call(() => server.Ops.ResetAll(new ResetRequest(), server.CallOptions()));
            context.Out.WriteLine($"deleted {Plural.Count((int)all.Apps, "app")} with {Plural.Count((int)all.Srcs, "src")} from the server at {server.Address}");
            return ExitCodes.Success;
        }

        var app = server.ResolveApp(options.App);
        if (options.Version is { } version)
        {
            var dropped = server.Call(() => server.Ops.DropVersion(new DropVersionRequest { App = app, Version = version }, server.CallOptions()));
            var now = dropped.WasCurrent
                ? dropped.Current.Length > 0 ? $"; {dropped.Current} is current now" : "; the app has no version left"
                : "";
            context.Out.WriteLine($"dropped version {version} of {app} with {Plural.Count((int)dropped.Srcs, "src")} only it had{now}");
            return ExitCodes.Success;
        }

        var reply = server.Call(() => server.Ops.ResetHeatmap(new ResetRequest { App = app }, server.CallOptions()), app);
        context.Out.WriteLine($"reset the heatmap of {app}: {Plural.Count((int)reply.Srcs, "src")} back to 0");
        return ExitCodes.Success;
    }
}
