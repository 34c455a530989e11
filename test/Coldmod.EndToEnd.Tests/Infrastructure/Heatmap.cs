using System.Text.Json;

namespace Coldmod.EndToEnd.Tests.Infrastructure;

/// <summary>One method in the heatmap Coldmod.Runtime writes in offline mode: its key, calls, and where it is.</summary>
public sealed record HeatmapEntry(string Key, long Count, string File, int Line);

/// <summary>
/// The file Coldmod.Runtime writes at process exit when <c>COLDMOD_HEATMAP_FILE</c> is set:
/// <c>{"format":1,"entries":[{"key":…,"count":…,"file":…,"line":…}]}</c>, every src of the loaded woven modules.
/// </summary>
public sealed record Heatmap(int Format, IReadOnlyList<HeatmapEntry> Entries)
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web);

    public IReadOnlyDictionary<string, long> Counts => Entries.ToDictionary(e => e.Key, e => e.Count, StringComparer.Ordinal);

    public static Heatmap Read(string path) =>
        JsonSerializer.Deserialize<Heatmap>(File.ReadAllText(path), s_options)
        ?? throw new InvalidDataException($"{path} holds no heatmap.");
}
