namespace Coldmod.Weaver;

/// <summary>
/// A traced method: its key (the documentation comment ID without <c>M:</c>), the source file relative
/// to the root with <c>/</c> separators, and a one-based line inside its declaration.
/// </summary>
public sealed record TraceSrc(string Key, string File, int Line)
{
    /// <summary>The metadata token of the method the src was read from (0 when read from an embedded table).</summary>
    public int MethodToken { get; init; }

    /// <summary>
    /// What the method is to the outside, when the build says it is an entry point: <c>GET /todos/{id}</c>,
    /// <c>gRPC greet.Greeter/SayHello</c>, <c>hosted service</c>; null otherwise.
    /// </summary>
    public string? Label { get; init; }

    /// <summary><c>file:line</c>, as printed by the CLI.</summary>
    public string Location => $"{File}:{Line}";
}
