using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

public static class HeatmapAssert
{
    /// <summary>The run succeeded and its heatmap has exactly the sample's srcs, with exactly the calls one run makes.</summary>
    public static void CountsOfOneRun(ProcessResult run, Heatmap? heatmap)
    {
        Assert.True(run.Succeeded, run.Describe());
        Assert.True(
            heatmap is not null,
            $"The app ran with COLDMOD_HEATMAP_FILE set but wrote no heatmap (Coldmod.Runtime's offline mode).\n{run.Describe()}");
        Assert.Equal(1, heatmap.Format);

        var actual = heatmap.Counts;
        var unexpected = actual.Keys.Except(ShopExpectations.CallsOfOneRun.Keys).Order(StringComparer.Ordinal).ToList();
        var missing = ShopExpectations.CallsOfOneRun.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.True(unexpected.Count == 0 && missing.Count == 0, $"Keys not expected: [{string.Join(", ", unexpected)}]; keys missing: [{string.Join(", ", missing)}]");

        var wrong = ShopExpectations.CallsOfOneRun
            .Where(e => actual[e.Key] != e.Value)
            .Select(e => $"{e.Key}: expected {e.Value}, counted {actual[e.Key]}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        foreach (var (key, location) in ShopExpectations.Locations)
        {
            var entry = heatmap.Entries.Single(e => e.Key == key);
            Assert.Equal(location, $"{entry.File}:{entry.Line}");
        }
    }
}
