using Coldmod.Cli.Options;
using Coldmod.Weaver;

namespace Coldmod.Cli.Commands;

internal sealed class FilesCommand(CommandContext context) : ICommand<FilesOptions>
{
    public int Execute(FilesOptions options)
    {
        var root = RootMarker.Find(context.WorkingDirectory);
        foreach (var file in SourceFiles.Enumerate(root))
        {
            context.Out.WriteLine(file);
        }

        return ExitCodes.Success;
    }
}
