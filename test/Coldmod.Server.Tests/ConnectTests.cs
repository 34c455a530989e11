extern alias server;

using Coldmod.Protocol;
using Coldmod.Server.Tests.Infrastructure;
using Coldmod.TestSupport;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Coldmod.Server.Tests.Infrastructure.Wire;
using ConnectOptions = server::Coldmod.Server.Internal.Connect.ConnectOptions;
using ConnectSessions = server::Coldmod.Server.Internal.Connect.ConnectSessions;
using ServerCommand = server::Coldmod.Protocol.ModCommand;
using ServerKeys = server::Coldmod.Protocol.ModKeys;

namespace Coldmod.Server.Tests;

// The connect side of the Mod stream on a real Kestrel: a test-side CLI (this project's generated client) on one end,
// ConnectSessions (as the /connect page uses it) on the other.
public sealed class ConnectTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(2);

    private readonly TempDirectory _directory = new("coldmod-connect");
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private ServerHost _server = null!;

    private ConnectSessions Sessions => _server.App.Services.GetRequiredService<ConnectSessions>();

    public async Task InitializeAsync() => _server = await ServerHost.StartKestrelAsync(
        new ServerSettings
        {
            Store = _directory.Combine("coldmod.db"),
            Clock = _clock,
            Services = services => services.Configure<ConnectOptions>(o => o.CommandTimeout = s_commandTimeout),
        },
        output);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_hello_without_a_session_id_opens_a_new_session_with_an_unguessable_id_and_its_page()
    {
        using var first = _server.Traces.Mod(deadline: Deadline);
        var session = await HelloAsync(first, "");
        using var second = _server.Traces.Mod(deadline: Deadline);
        var other = await HelloAsync(second, "");

        Assert.Matches("^[A-Za-z0-9_-]{22}$", session.SessionId);
        Assert.Equal($"/connect/{session.SessionId}", session.PagePath);
        Assert.NotEqual(session.SessionId, other.SessionId);
        var found = Sessions.Find(session.SessionId);
        Assert.NotNull(found);
        Assert.True(found.Connected);
        Assert.Equal(("shop", "/src/shop", "dev-box", ""), (found.App, found.Root, found.Host, found.Stale));
        Assert.Empty(found.Keys);
        Assert.Null(Sessions.Find("AAAAAAAAAAAAAAAAAAAAAA"));
        Assert.Equal(2U, (await _server.Ops.StatusAsync(new StatusRequest(), deadline: Deadline)).ModClients);
    }

    [Fact]
    public async Task A_CLI_that_reconnects_with_its_session_id_gets_the_same_session_back_with_its_keys()
    {
        const string Id = "Reconnect_with-the-id0";
        using (var first = _server.Traces.Mod(deadline: Deadline))
        {
            Assert.Equal(Id, (await HelloAsync(first, Id)).SessionId);
            await first.RequestStream.WriteAsync(Inventory(first: true, last: true, stale: "", ("Shop.A.M", "A.cs", 3u, 1u)));
            await WaitUntilAsync(() => Sessions.Find(Id)?.Keys.Count == 1);
            await first.RequestStream.CompleteAsync();
            await WaitUntilAsync(() => Sessions.Find(Id) is { Connected: false });
        }

        var away = Sessions.Find(Id)!;
        Assert.Equal("Shop.A.M", Assert.Single(away.Keys).Key);

        using var again = _server.Traces.Mod(deadline: Deadline);
        Assert.Equal(Id, (await HelloAsync(again, Id)).SessionId);
        var back = Sessions.Find(Id)!;
        Assert.True(back.Connected);
        Assert.Equal(new server::Coldmod.Server.Internal.Connect.LocalKey("Shop.A.M", "A.cs", 3, 1), back.Keys["Shop.A.M"]);
    }

    [Fact]
    public async Task A_session_held_by_an_open_stream_is_refused_to_a_second_CLI_as_already_exists()
    {
        const string Id = "held-by-the-first-CLI0";
        using var first = _server.Traces.Mod(deadline: Deadline);
        await HelloAsync(first, Id);

        using var second = _server.Traces.Mod(deadline: Deadline);
        await second.RequestStream.WriteAsync(Hello(Id));
        var refused = await Assert.ThrowsAsync<RpcException>(() => second.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);
        Assert.Contains(Id, refused.Status.Detail, StringComparison.Ordinal);
        Assert.True(Sessions.Find(Id)!.Connected);
    }

    [Theory]
    [InlineData("too-short")]
    [InlineData("has+plus/and=padding00")]
    [InlineData("twenty-three-characters")]
    public async Task A_malformed_session_id_is_invalid_argument_naming_the_field(string id)
    {
        using var call = _server.Traces.Mod(deadline: Deadline);
        await call.RequestStream.WriteAsync(Hello(id));
        var refused = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("hello.session_id", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Null(Sessions.Find(id));
    }

    [Fact]
    public async Task A_message_before_the_hello_is_invalid_argument()
    {
        using var call = _server.Traces.Mod(deadline: Deadline);
        await call.RequestStream.WriteAsync(Inventory(first: true, last: true, stale: ""));
        var refused = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("before the hello", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_a_complete_inventory_becomes_the_sessions_keys_and_a_new_one_replaces_it()
    {
        using var call = _server.Traces.Mod(deadline: Deadline);
        var id = (await HelloAsync(call, "")).SessionId;
        await call.RequestStream.WriteAsync(Inventory(first: true, last: false, stale: "", ("K.A", "a.cs", 1u, 0u), ("K.B", "b.cs", 2u, 0u)));
        await call.RequestStream.WriteAsync(Inventory(first: false, last: true, stale: "", ("K.C", "c.cs", 3u, 5u)));
        await WaitUntilAsync(() => Sessions.Find(id)?.Keys.Count == 3);

        // A command answered after the next inventory's first chunk proves the server has read that chunk.
        await call.RequestStream.WriteAsync(Inventory(first: true, last: false, stale: "bin/Shop.dll is older than a.cs", ("K.D", "d.cs", 4u, 0u)));
        var answered = AnswerNextAsync(call, ok: true, output: "", error: "");
        Assert.True((await Sessions.SendAsync(id, Open("K.A"), CancellationToken.None)).Ok);
        await answered;
        var meanwhile = Sessions.Find(id)!;
        Assert.Equal(["K.A", "K.B", "K.C"], meanwhile.Keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("", meanwhile.Stale);

        await call.RequestStream.WriteAsync(Inventory(first: false, last: true, stale: "bin/Shop.dll is older than a.cs", ("K.E", "e.cs", 5u, 0u)));
        await WaitUntilAsync(() => Sessions.Find(id)!.Keys.ContainsKey("K.E"));
        var replaced = Sessions.Find(id)!;
        Assert.Equal(["K.D", "K.E"], replaced.Keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("bin/Shop.dll is older than a.cs", replaced.Stale);
        Assert.Equal(5, replaced.Keys["K.E"].Line);
    }

    [Fact]
    public async Task A_command_goes_to_the_sessions_CLI_and_its_result_comes_back()
    {
        using var call = _server.Traces.Mod(deadline: Deadline);
        var id = (await HelloAsync(call, "")).SessionId;
        var command = new ServerCommand { Remove = new ServerKeys { Keys = { "Shop.A.M", "Shop.A.N" } }, DryRun = true };

        var sent = Sessions.SendAsync(id, command, CancellationToken.None);
        Assert.True(await call.ResponseStream.MoveNext());
        var received = call.ResponseStream.Current;
        Assert.Equal(ModCommand.KindOneofCase.Remove, received.KindCase);
        Assert.Equal(["Shop.A.M", "Shop.A.N"], received.Remove.Keys);
        Assert.True(received.DryRun);
        Assert.NotEmpty(received.CommandId);
        await call.RequestStream.WriteAsync(new ModMessage { Result = new ModResult { CommandId = "not-" + received.CommandId, Ok = false, Error = "stray" } });
        await call.RequestStream.WriteAsync(new ModMessage { Result = new ModResult { CommandId = received.CommandId, Ok = true, Output = "--- a/A.cs\n+++ b/A.cs\n" } });

        var outcome = await sent.WaitAsync(CallTimeout);
        Assert.Equal((true, "--- a/A.cs\n+++ b/A.cs\n", ""), (outcome.Ok, outcome.Output, outcome.Error));
        Assert.Empty(command.CommandId);

        var refusal = AnswerNextAsync(call, ok: false, output: "", error: "coldmod: error: Shop.A.M: not a src of the local builds");
        var refused = await Sessions.SendAsync(id, Open("Shop.A.M"), CancellationToken.None);
        await refusal;
        Assert.Equal((false, "coldmod: error: Shop.A.M: not a src of the local builds"), (refused.Ok, refused.Error));
    }

    [Fact]
    public async Task A_command_the_CLI_does_not_answer_fails_after_the_timeout_saying_so()
    {
        using var call = _server.Traces.Mod(deadline: Deadline);
        var id = (await HelloAsync(call, "")).SessionId;

        var outcome = await Sessions.SendAsync(id, Open("Shop.A.M"), CancellationToken.None).WaitAsync(CallTimeout);

        Assert.False(outcome.Ok);
        Assert.Contains("did not answer in 2 s", outcome.Error, StringComparison.Ordinal);
        Assert.True(await call.ResponseStream.MoveNext());
        await call.RequestStream.WriteAsync(new ModMessage { Result = new ModResult { CommandId = call.ResponseStream.Current.CommandId, Ok = true } });
        await WaitUntilAsync(() => _server.Log.Entries.Any(e => e.Message.Contains("ignored a result for command", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_pending_command_fails_at_once_saying_the_CLI_is_gone_when_its_stream_closes()
    {
        var id = "";
        using (var call = _server.Traces.Mod(deadline: Deadline))
        {
            id = (await HelloAsync(call, "")).SessionId;
            var pending = Sessions.SendAsync(id, Open("Shop.A.M"), CancellationToken.None);
            Assert.True(await call.ResponseStream.MoveNext());
            await call.RequestStream.CompleteAsync();

            var outcome = await pending.WaitAsync(s_commandTimeout / 2);
            Assert.False(outcome.Ok);
            Assert.Contains("the CLI is gone", outcome.Error, StringComparison.Ordinal);
        }

        var afterwards = await Sessions.SendAsync(id, Open("Shop.A.M"), CancellationToken.None).WaitAsync(s_commandTimeout / 2);
        Assert.False(afterwards.Ok);
        Assert.Contains("the CLI is gone", afterwards.Error, StringComparison.Ordinal);
        var never = await Sessions.SendAsync("NeverOpenedOnThisServe", Open("Shop.A.M"), CancellationToken.None);
        Assert.Contains("the CLI is gone", never.Error, StringComparison.Ordinal);
        var notACommand = await Sessions.SendAsync(id, new ServerCommand { Session = new server::Coldmod.Protocol.ModSession() }, CancellationToken.None);
        Assert.Contains("'Session' is not a command for the CLI", notACommand.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watchers_hear_of_the_connection_the_inventory_and_the_disconnection_until_they_stop_watching()
    {
        const string Id = "watched-session-000000";
        var seen = new List<(bool Connected, int Keys)>();
        using var watch = Sessions.Watch(Id, () =>
        {
            lock (seen)
            {
                var session = Sessions.Find(Id)!;
                seen.Add((session.Connected, session.Keys.Count));
            }
        });

        using (var call = _server.Traces.Mod(deadline: Deadline))
        {
            await HelloAsync(call, Id);
            await call.RequestStream.WriteAsync(Inventory(first: true, last: true, stale: "", ("K.A", "a.cs", 1u, 0u)));
            await WaitUntilAsync(() => Count(seen) == 2);
            await call.RequestStream.CompleteAsync();
            await WaitUntilAsync(() => Count(seen) == 3);
        }

        watch.Dispose();
        using var again = _server.Traces.Mod(deadline: Deadline);
        await HelloAsync(again, Id);
        lock (seen)
        {
            Assert.Equal([(true, 0), (true, 1), (false, 1)], seen);
        }
    }

    [Fact]
    public async Task A_session_whose_CLI_is_away_is_kept_for_an_hour_then_forgotten_and_its_id_opens_a_fresh_one()
    {
        const string Id = "kept-for-an-hour-00000";
        using (var call = _server.Traces.Mod(deadline: Deadline))
        {
            await HelloAsync(call, Id);
            await call.RequestStream.WriteAsync(Inventory(first: true, last: true, stale: "", ("K.A", "a.cs", 1u, 0u)));
            await WaitUntilAsync(() => Sessions.Find(Id)?.Keys.Count == 1);
            await call.RequestStream.CompleteAsync();
            await WaitUntilAsync(() => Sessions.Find(Id) is { Connected: false });
        }

        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(Sessions.Find(Id));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(Sessions.Find(Id));

        using var again = _server.Traces.Mod(deadline: Deadline);
        Assert.Equal(Id, (await HelloAsync(again, Id)).SessionId);
        Assert.Empty(Sessions.Find(Id)!.Keys);
        Assert.DoesNotContain(_server.Log.Entries, e => e.EventId.Id == 34);
        Assert.Equal(2, _server.Log.Entries.Count(e => e.EventId.Id == 33));
    }

    private static int Count(List<(bool, int)> seen)
    {
        lock (seen)
        {
            return seen.Count;
        }
    }

    private static ModMessage Hello(string sessionId) =>
        new() { Hello = new ModHello { App = "shop", Root = "/src/shop", SessionId = sessionId, Host = "dev-box" } };

    private static async Task<ModSession> HelloAsync(AsyncDuplexStreamingCall<ModMessage, ModCommand> call, string sessionId)
    {
        await call.RequestStream.WriteAsync(Hello(sessionId));
        Assert.True(await call.ResponseStream.MoveNext().WaitAsync(CallTimeout));
        var answer = call.ResponseStream.Current;
        Assert.Equal(ModCommand.KindOneofCase.Session, answer.KindCase);
        Assert.Empty(answer.CommandId);
        return answer.Session;
    }

    private static ModMessage Inventory(bool first, bool last, string stale, params (string Key, string File, uint Line, uint References)[] keys)
    {
        var inventory = new ModInventory { First = first, Last = last, Stale = stale };
        inventory.Keys.AddRange(keys.Select(k => new ModLocalKey { Key = k.Key, File = k.File, Line = k.Line, References = k.References }));
        return new ModMessage { Inventory = inventory };
    }

    private static ServerCommand Open(string key) => new() { Open = new ServerKeys { Keys = { key } } };

    private static async Task AnswerNextAsync(AsyncDuplexStreamingCall<ModMessage, ModCommand> call, bool ok, string output, string error)
    {
        Assert.True(await call.ResponseStream.MoveNext().WaitAsync(CallTimeout));
        await call.RequestStream.WriteAsync(new ModMessage
        {
            Result = new ModResult { CommandId = call.ResponseStream.Current.CommandId, Ok = ok, Output = output, Error = error },
        });
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 400 && !condition(); attempt++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), "the server did not reach the expected state within 10 s");
    }
}
