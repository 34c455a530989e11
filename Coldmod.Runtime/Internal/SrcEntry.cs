namespace Coldmod.Runtime.Internal;

// Label: what the method is to the outside when the build found it to be an entry point ("GET /todos/{id}"), or null.
internal sealed record SrcEntry(string Key, string File, int Line, string? Label = null);
