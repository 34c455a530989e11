namespace Coldmod.Server.Internal.Store;

internal sealed record HeatRow(string Key, string File, long Line, long Count, long? FirstSeen, long? LastSeen, string Label);
