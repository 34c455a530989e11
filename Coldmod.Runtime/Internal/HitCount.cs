namespace Coldmod.Runtime.Internal;

internal readonly record struct HitCount(string Key, long Count);
