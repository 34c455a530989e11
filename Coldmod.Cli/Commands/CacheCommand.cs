using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;
using Coldmod.Weaver;

namespace Coldmod.Cli.Commands;

internal sealed class CacheCommand(CommandContext context) : ICommand<CacheOptions>
{
    private const string Shown = SrcsCache.DirectoryName + "/";

    public int Execute(CacheOptions options) => options.Action switch
    {
        CacheOptions.Warm => Warm(options),
        CacheOptions.Clear => Clear(),
        _ => throw new UsageException($"Unknown cache action '{options.Action}'; use '{CacheOptions.Warm}' or '{CacheOptions.Clear}'."),
    };

    private int Warm(CacheOptions options)
    {
        if (options.NoCache)
        {
            throw new UsageException($"--no-cache leaves nothing for 'cache {CacheOptions.Warm}' to do; leave it out.");
        }

        // Reading the builds is what fills the cache: every assembly read, traced or skipped, gets its entry.
        var local = LocalBuilds.FromOptions(options, context).Read();
        context.Out.WriteLine(
            $"cached {Plural.Count(local.Scans.Count, "assembly", "assemblies")} ({Plural.Count(local.Srcs.Count, "src")}) in {Shown}");
        return ExitCodes.Success;
    }

    private int Clear()
    {
        var root = RootMarker.Find(context.WorkingDirectory);
        var cache = SrcsCache.For(root);
        if (!cache.Exists)
        {
            context.Out.WriteLine($"no {Shown} in {root.RootDirectory}; nothing to remove");
            return ExitCodes.Success;
        }

        var removed = cache.Clear();
        context.Out.WriteLine($"removed {Shown} from {root.RootDirectory} ({Plural.Count(removed, "cached scan")})");
        return ExitCodes.Success;
    }
}
