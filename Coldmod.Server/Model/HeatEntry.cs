namespace Coldmod.Server.Model;

/// <summary>One src of the heatmap as the page shows it. Instances are immutable and shared by every viewer.</summary>
/// <param name="Key">The method's key.</param>
/// <param name="File">Its file, relative to the app's root.</param>
/// <param name="Line">Its first line.</param>
/// <param name="Count">Calls counted.</param>
/// <param name="FirstSeen">When it was first called, if ever.</param>
/// <param name="LastSeen">When it was last called, if ever.</param>
/// <param name="TrackedSince">When a Set first listed it.</param>
/// <param name="Label">Its entry-point label found at build time (<c>GET /todos/{id}</c>, <c>hosted service</c>); empty for other methods.</param>
public sealed record HeatEntry(
    string Key,
    string File,
    long Line,
    long Count,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    DateTimeOffset TrackedSince,
    string Label = "")
{
    /// <summary>Whether the method is an entry point: an endpoint, a controller action, a gRPC method, a hosted service.</summary>
    public bool IsEntryPoint => Label.Length > 0;

    /// <summary>Whole days since the key was first set, for "never called in N days".</summary>
    public int DaysTracked(DateTimeOffset now) => Math.Max(0, (int)(now - TrackedSince).TotalDays);

    // Computed once per src: a copy made with `with` for a new count keeps it, since key and file stay.
    private KeyParts? _parts;

    /// <summary><c>file:line</c>.</summary>
    public string Location => $"{File}:{Line}";

    /// <summary>The names the heat tree groups this src under.</summary>
    public KeyParts Parts => _parts ??= KeyParts.Of(Key, File);
}
