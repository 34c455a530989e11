namespace Coldmod.Runtime.Internal;

internal sealed record SrcEntry(string Key, string File, int Line);
