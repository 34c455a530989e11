using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;
using Coldmod.Weaver;

namespace Coldmod.Cli.Commands;

internal sealed class InitCommand(CommandContext context) : ICommand<InitOptions>
{
    internal const string Template = """
        # coldmod.rootmarker: the root of the traced sources. Only methods whose source is under this
        # directory are traced, and paths are shown relative to it. Every entry is optional.

        [ignore]
        # Source files not traced, as globs relative to this directory.
        files = [
            "**/Migrations/**",   # EF Core migrations and model snapshots
            "**/*.Designer.cs",   # designer and resource files
            "**/*.g.cs",          # generated sources
            "obj/**",             # build output
        ]
        # Methods not traced, by key exactly as `coldmod srcs` prints it, e.g. "Shop.Legacy.Importer.Run".
        keys = []

        """;

    public int Execute(InitOptions options)
    {
        var path = Path.Combine(context.WorkingDirectory, RootMarker.FileName);
        try
        {
            // CreateNew, so that a rootmarker written between a check and the write is not overwritten either.
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(stream);
            writer.Write(Template.ReplaceLineEndings("\n"));
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new CommandFailedException($"{path} already exists; coldmod init does not overwrite it (edit it, or delete it first).");
        }

        context.Out.WriteLine($"wrote {path}");
        return ExitCodes.Success;
    }
}
