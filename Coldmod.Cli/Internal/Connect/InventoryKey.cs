namespace Coldmod.Cli.Internal.Connect;

// One key of the local build as the page is told of it: where it is declared and how many calls the build makes to it.
internal sealed record InventoryKey(string Key, string File, int Line, int References);
