namespace Coldmod.Runtime.Internal;

internal sealed record HeatmapFileEntry(string Key, long Count, string File, int Line);
