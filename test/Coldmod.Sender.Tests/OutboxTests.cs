using Coldmod.Runtime.Internal;
using Coldmod.Runtime.Internal.Sending;

namespace Coldmod.Sender.Tests;

public sealed class OutboxTests
{
    [Fact]
    public void Counts_merge_while_a_batch_is_unacknowledged_and_a_resent_batch_keeps_its_sequence_and_contents()
    {
        var outbox = new Outbox("app", "p1");
        outbox.Add([new HitCount("A", 2)]);
        var first = outbox.FreezePending();
        for (var flush = 0; flush < 1000; flush++)
        {
            outbox.Add([new HitCount("A", 1), new HitCount("B", 1)]);
            Assert.Null(outbox.FreezePending());
            Assert.Equal(2, outbox.HeldBatches);
        }

        var resent = Assert.Single(outbox.Unacknowledged());
        Assert.Same(first, resent);
        Assert.Equal(1UL, resent.Sequence);
        Assert.Equal(2UL, Assert.Single(resent.Hits).Count);

        outbox.Acknowledge(1);
        var second = outbox.FreezePending();
        Assert.NotNull(second);
        Assert.Equal(2UL, second.Sequence);
        Assert.Equal(new Dictionary<string, ulong> { ["A"] = 1000, ["B"] = 1000 }, second.Hits.ToDictionary(h => h.Key, h => h.Count));
        Assert.Equal(1, outbox.HeldBatches);
    }

    [Fact]
    public void Estimated_parts_and_variances_merge_per_key_and_travel_with_the_version()
    {
        var outbox = new Outbox("app", "p1") { Version = "0123abcd" };
        outbox.Add([new HitCount("A", 1000, 900, 50.5), new HitCount("B", 3)]);
        outbox.Add([new HitCount("A", 500, 400, 25.25), new HitCount("B", 2)]);

        var batch = outbox.FreezePending();

        Assert.NotNull(batch);
        Assert.Equal("0123abcd", batch.Version);
        var hits = batch.Hits.ToDictionary(h => h.Key);
        Assert.Equal((1500UL, 1300UL, 75.75), (hits["A"].Count, hits["A"].Estimated, hits["A"].EstimateVariance));
        Assert.Equal((5UL, 0UL, 0.0), (hits["B"].Count, hits["B"].Estimated, hits["B"].EstimateVariance));
    }

    [Fact]
    public void Srcs_are_read_from_an_assembly_file_without_loading_it()
    {
        var table = AppSrcs.TryReadFile(typeof(OutboxTests).Assembly.Location);

        Assert.NotNull(table);
        Assert.Equal("Coldmod.Sender.Tests.Unloaded.Plugin.Run", Assert.Single(table.Entries).Key);
        Assert.Null(AppSrcs.TryReadFile(typeof(object).Assembly.Location));
    }
}
