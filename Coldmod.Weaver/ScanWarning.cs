namespace Coldmod.Weaver;

/// <summary>A problem that does not stop a scan, with the place it is about when it has one.</summary>
public sealed record ScanWarning(string Code, string Message, string? File = null, int Line = 0);
