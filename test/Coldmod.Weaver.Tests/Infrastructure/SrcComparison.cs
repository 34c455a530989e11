namespace Coldmod.Weaver.Tests.Infrastructure;

/// <summary>Compares a scan with the oracle and says what differs, one entry per line, so a failure reads as a to-do list.</summary>
public static class SrcComparison
{
    public static IReadOnlyList<string> Differences(IReadOnlyList<ExpectedSrc> expected, IReadOnlyList<TraceSrc> actual)
    {
        var differences = new List<string>();
        var expectedByKey = expected.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var actualByKey = new Dictionary<string, TraceSrc>(StringComparer.Ordinal);
        foreach (var src in actual)
        {
            if (!actualByKey.TryAdd(src.Key, src))
            {
                differences.Add($"duplicate: {src.Key} at {actualByKey[src.Key].Location} and {src.Location}");
            }
        }

        var missing = expected.Where(e => !actualByKey.ContainsKey(e.Key)).ToList();
        foreach (var src in actual.Where(a => !expectedByKey.ContainsKey(a.Key)))
        {
            // A src in the place of exactly one missing method is that method under a wrong key.
            var candidates = missing.Where(m => m.IsAt(src.File, src.Line)).ToList();
            if (candidates.Count == 1)
            {
                differences.Add($"wrong key: scanner '{src.Key}' at {src.Location}, Roslyn '{candidates[0].Key}'");
                missing.Remove(candidates[0]);
            }
            else
            {
                differences.Add($"extra: {src.Key} at {src.Location}");
            }
        }

        differences.AddRange(missing.Select(m => $"missing: {m}"));
        foreach (var e in expected)
        {
            if (actualByKey.TryGetValue(e.Key, out var src) && !e.IsAt(src.File, src.Line))
            {
                differences.Add($"misplaced: {e.Key} at {src.Location}, expected {string.Join(" or ", e.Places)}");
            }
        }

        return differences;
    }

    public static string Describe(string what, IReadOnlyList<string> differences) =>
        $"{what}: {differences.Count} difference(s){Environment.NewLine}{string.Join(Environment.NewLine, differences)}";
}
