namespace Coldmod.Cli.Codemods;

// What `coldmod rm` would do: the files with their text before and after, what goes, what gets marked, and what it
// refuses to do. A plan with problems changes nothing.
internal sealed class RemovalPlan
{
    public List<string> Problems { get; } = [];

    public List<string> Notes { get; } = [];

    public List<RemovedMember> Removed { get; } = [];

    public List<EditedFile> Files { get; } = [];
}

internal sealed record RemovedMember(string Keys, string Location, int Lines);

internal sealed record EditedFile(string Path, string ShownPath, string Before, string After, byte[] Content, int Markers);
