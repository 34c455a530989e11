using Coldmod.Protocol;
using Coldmod.Server.Tests.Infrastructure;
using Grpc.Core;
using Xunit.Abstractions;
using static Coldmod.Server.Tests.Infrastructure.Wire;

namespace Coldmod.Server.Tests;

public sealed class BadInputTests(ITestOutputHelper output) : InProcessServerTest(output)
{
    private const int MaxMessageSize = 64 * 1024;

    protected override ServerSettings Settings => base.Settings with { MaxMessageSize = $"{MaxMessageSize}" };

    public static TheoryData<string, string> BadApps => new()
    {
        { "", "app is empty" },
        { new string('a', 257), "app is 257 characters long; the limit is 256" },
        { "sh\nop", "app has a control character (U+000A) at index 2" },
    };

    public static TheoryData<string, string> BadKeys => new()
    {
        { "", "srcs[1].key is empty" },
        { new string('k', 1025), "srcs[1].key is 1025 characters long; the limit is 1024" },
        { "Shop.A\u0000B", "srcs[1].key has a control character (U+0000) at index 6" },
        { "Shop.A\tB", "srcs[1].key has a control character (U+0009) at index 6" },
    };

    [Theory]
    [MemberData(nameof(BadApps))]
    public async Task Set_with_a_bad_app_name_is_InvalidArgument(string app, string problem)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Traces.SetAsync(Set(app, "A.M"), deadline: Deadline).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, problem), (error.StatusCode, error.Status.Detail));
        Assert.Empty((await Ops.StatusAsync(new StatusRequest(), deadline: Deadline)).Apps);
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task Set_with_a_bad_key_is_InvalidArgument_and_changes_nothing(string key, string problem)
    {
        await Traces.SetAsync(Set("shop", "A.M"), deadline: Deadline);

        var error = await Assert.ThrowsAsync<RpcException>(() => Traces.SetAsync(Set("shop", "A.N", key), deadline: Deadline).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, problem), (error.StatusCode, error.Status.Detail));
        Assert.Equal(["A.M"], (await CountsAsync(Traces, "shop")).Keys);
    }

    [Fact]
    public async Task A_key_of_exactly_1024_characters_is_accepted()
    {
        var key = new string('k', 1024);
        await Traces.SetAsync(Set("shop", key), deadline: Deadline);

        await CollectAsync(Traces, [Batch("shop", "p1", 1, (key, 2))]);

        Assert.Equal(2UL, (await CountsAsync(Traces, "shop"))[key]);
    }

    [Fact]
    public async Task A_file_with_a_control_character_is_InvalidArgument()
    {
        var request = new SetRequest { App = "shop" };
        request.Srcs.Add(new Src { Key = "A.M", File = "src/\u001b[31mA.cs", Line = 1 });

        var error = await Assert.ThrowsAsync<RpcException>(() => Traces.SetAsync(request, deadline: Deadline).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "srcs[0].file has a control character (U+001B) at index 4"), (error.StatusCode, error.Status.Detail));
    }

    public static TheoryData<string, Batch> BadBatches => new()
    {
        { "process_id is empty", Batch("shop", "", 2, ("A.M", 1)) },
        { "process_id is 257 characters long; the limit is 256", Batch("shop", new string('p', 257), 2, ("A.M", 1)) },
        { "sequence is 0; sequences start at 1", Batch("shop", "p1", 0, ("A.M", 1)) },
        { "hits[1].key is empty", Batch("shop", "p1", 2, ("A.M", 1), ("", 1)) },
        { "hits[0].key has a control character (U+007F) at index 1", Batch("shop", "p1", 2, ("A\u007fM", 1)) },
        { "hits[0].count is 9223372036854775808; the limit is 9223372036854775807", Batch("shop", "p1", 2, ("A.M", (ulong)long.MaxValue + 1)) },
        { "app is empty", Batch("", "p1", 2, ("A.M", 1)) },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task A_bad_batch_ends_Collect_with_InvalidArgument_after_acking_the_batches_before_it(string problem, Batch bad)
    {
        await Traces.SetAsync(Set("shop", "A.M"), deadline: Deadline);
        using var call = Traces.Collect(deadline: Deadline);
        await call.RequestStream.WriteAsync(Batch("shop", "p1", 1, ("A.M", 1)));
        await call.RequestStream.WriteAsync(bad);

        var acks = new List<Ack>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var ack in call.ResponseStream.ReadAllAsync())
            {
                acks.Add(ack);
            }
        });

        Assert.Equal((StatusCode.InvalidArgument, problem), (error.StatusCode, error.Status.Detail));
        Assert.Equal([1UL], acks.Select(a => a.Sequence));
        Assert.Equal(1UL, (await CountsAsync(Traces, "shop"))["A.M"]);
        var status = await Ops.StatusAsync(new StatusRequest { App = "shop" }, deadline: Deadline);
        Assert.Equal((1UL, 0UL), (status.BatchesApplied, status.UnknownKeyHits));
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_ResourceExhausted_and_changes_nothing()
    {
        await Traces.SetAsync(Set("shop", "A.M"), deadline: Deadline);
        var huge = Set("shop", [.. Enumerable.Range(0, 2000).Select(i => $"Shop.Generated.Type{i}.Method{i}(System.String,System.Int32)")]);
        Assert.True(huge.CalculateSize() > MaxMessageSize);

        var error = await Assert.ThrowsAsync<RpcException>(() => Traces.SetAsync(huge, deadline: Deadline).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(["A.M"], (await CountsAsync(Traces, "shop")).Keys);
    }

    [Fact]
    public async Task A_batch_over_the_size_limit_ends_Collect_with_ResourceExhausted_after_acking_the_batches_before_it()
    {
        await Traces.SetAsync(Set("shop", "A.M"), deadline: Deadline);
        var huge = Batch("shop", "p1", 2, [.. Enumerable.Range(0, 2000).Select(i => ($"Shop.Generated.Type{i}.Method{i}(System.String,System.Int32)", 1UL))]);
        Assert.True(huge.CalculateSize() > MaxMessageSize);
        using var call = Traces.Collect(deadline: Deadline);
        await call.RequestStream.WriteAsync(Batch("shop", "p1", 1, ("A.M", 1)));
        try
        {
            await call.RequestStream.WriteAsync(huge);
        }
        catch (RpcException)
        {
            // The server may end the call before the whole message is out.
        }

        var acks = new List<Ack>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var ack in call.ResponseStream.ReadAllAsync())
            {
                acks.Add(ack);
            }
        });

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal([1UL], acks.Select(a => a.Sequence));
        var status = await Ops.StatusAsync(new StatusRequest { App = "shop" }, deadline: Deadline);
        Assert.Equal((1UL, 1UL, 0UL), (status.BatchesApplied, status.HitsTotal, status.UnknownKeyHits));
    }

    [Fact]
    public async Task A_Mod_hello_with_a_bad_app_name_is_InvalidArgument()
    {
        using var call = Traces.Mod(deadline: Deadline);
        await call.RequestStream.WriteAsync(new ModMessage { Hello = new ModHello { App = "", Root = "/src" } });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal((StatusCode.InvalidArgument, "hello.app is empty"), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task Fetch_ResetHeatmap_and_Status_check_the_app_name()
    {
        var fetch = await Assert.ThrowsAsync<RpcException>(() => Traces.FetchAsync(new FetchRequest { App = "" }, deadline: Deadline).ResponseAsync);
        var reset = await Assert.ThrowsAsync<RpcException>(() => Ops.ResetHeatmapAsync(new ResetRequest { App = "" }, deadline: Deadline).ResponseAsync);
        var status = await Assert.ThrowsAsync<RpcException>(() => Ops.StatusAsync(new StatusRequest { App = new string('x', 300) }, deadline: Deadline).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "app is empty"), (fetch.StatusCode, fetch.Status.Detail));
        Assert.Equal((StatusCode.InvalidArgument, "app is empty"), (reset.StatusCode, reset.Status.Detail));
        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
    }
}
