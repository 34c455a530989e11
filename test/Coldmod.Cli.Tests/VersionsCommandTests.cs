using Coldmod.Cli.Commands;
using Coldmod.Cli.Internal;
using Coldmod.Protocol;

namespace Coldmod.Cli.Tests;

// Two builds of the sample reported to one real server: fetch shows the newest build's keys, counts from both, and the
// keys only the older build has apart; versions lists both; reset --version drops one.
[Collection(SampleCheckoutCollection.Name)]
public sealed class VersionsCommandTests(SampleCheckout sample) : IDisposable
{
    private readonly ServedBackend _backend = new();

    [Fact]
    public void Fetch_lists_keys_only_older_builds_have_apart_and_shows_estimated_counts_with_their_error()
    {
        Seed();

        var result = Cli.Run(sample.Root, _backend.Environment, "fetch", "--all");
        var json = Cli.Run(sample.Root, _backend.Environment, "fetch", "--all", "--format", "json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("  ~123,456 (±1.2%)  Shop.Cart.Add(System.Decimal)  src/Shop/Cart.cs:12  last seen ", result.Out, StringComparison.Ordinal);
        Assert.Contains("(only in older versions)\n  7  Shop.Retired.Run  src/Shop/Retired.cs:2  last seen ", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("(not found locally)", result.Out, StringComparison.Ordinal);
        Assert.EndsWith("; 1 key only in older versions", result.ErrorLines[^1], StringComparison.Ordinal);
        Assert.Contains("{\"key\":\"Shop.Cart.Add(System.Decimal)\",\"count\":123456,\"estimated\":120000,\"estimate_error\":1481.472,", json.Out, StringComparison.Ordinal);
        Assert.Contains(",\"older_versions\":[{\"key\":\"Shop.Retired.Run\",\"count\":7,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Retired.cs\",\"line\":2,\"first_seen\":", json.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_lists_both_builds_newest_last_and_reset_version_drops_one_with_the_keys_only_it_had()
    {
        Seed();

        var listed = Cli.Run(sample.Root, _backend.Environment, "versions");
        var refused = Cli.Run(sample.Root, _backend.Environment, "reset", "--version", "v1");
        var dropped = Cli.Run(sample.Root, _backend.Environment, "reset", "--version", "v1", "--confirm");
        var unknown = Cli.Run(sample.Root, _backend.Environment, "reset", "--version", "v1", "--confirm");

        Assert.Equal(ExitCodes.Success, listed.ExitCode);
        var lines = listed.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^  version\s+label\s+first seen\s+last seen\s+processes\s+srcs$", lines[0]);
        Assert.Matches(@"^  v1\s+commit 1111\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+1\s+2$", lines[1]);
        Assert.Matches(@"^\* v2\s+commit 2222\s+.*\s+1\s+1$", lines[2]);
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("--confirm", refused.ErrorLines[0], StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, dropped.ExitCode);
        Assert.Equal("dropped version v1 of Shop with 1 src only it had\n", dropped.Out);
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
        Assert.Contains("has no version 'v1'", unknown.ErrorLines[0], StringComparison.Ordinal);
        var fetched = Cli.Run(sample.Root, _backend.Environment, "fetch", "--all");
        Assert.DoesNotContain("Shop.Retired.Run", fetched.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, 0.0, "0")]
    [InlineData(42, 0, 0.0, "42")]
    [InlineData(12345, 12000, 148.14, "~12,345 (±1.2%)")]
    [InlineData(1000, 900, 150.0, "~1,000 (±15%)")]
    public void An_estimated_count_reads_as_approximate_with_its_relative_error(long count, long estimated, double error, string text) =>
        Assert.Equal(text, FetchCommand.CountText(count, new Estimate(estimated, error)));

    public void Dispose() => _backend.Dispose();

    private void Seed()
    {
        var v1 = new SetRequest { App = "Shop", Version = "v1", Label = "commit 1111" };
        v1.Srcs.Add(new Src { Key = "Shop.Cart.Add(System.Decimal)", File = "src/Shop/Cart.cs", Line = 12 });
        v1.Srcs.Add(new Src { Key = "Shop.Retired.Run", File = "src/Shop/Retired.cs", Line = 2 });
        _backend.Traces.Set(v1, _backend.Headers, DateTime.UtcNow.AddSeconds(30));
        var v2 = new SetRequest { App = "Shop", Version = "v2", Label = "commit 2222" };
        v2.Srcs.Add(new Src { Key = "Shop.Cart.Add(System.Decimal)", File = "src/Shop/Cart.cs", Line = 12 });
        _backend.Traces.Set(v2, _backend.Headers, DateTime.UtcNow.AddSeconds(30));
        _backend.Collect("Shop", new Hit { Key = "Shop.Cart.Add(System.Decimal)", Count = 123456, Estimated = 120000, EstimateVariance = 1481.472 * 1481.472 },
            new Hit { Key = "Shop.Retired.Run", Count = 7 });
    }
}
