using Coldmod.Server.Tests.Infrastructure;
using Coldmod.TestSupport;
using Microsoft.AspNetCore.Builder;
using Xunit.Abstractions;

namespace Coldmod.Server.Tests;

public sealed class RedisStartupTests(RedisServer redis, ITestOutputHelper output) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Credentials_Redis_refuses_stop_the_start_with_one_error_that_says_so()
    {
        await redis.RequirePasswordAsync("the-right-one");
        var log = new TestLogSink(output);
        log.ExpectErrors(e => e.Category.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal));
        var settings = new ServerSettings
        {
            Store = $"redis://coldmod:hunter2@127.0.0.1:{redis.Port}/0",
            GrpcHost = $"127.0.0.1:{LoopbackPort.Free()}",
            WebHost = $"127.0.0.1:{LoopbackPort.Free()}",
        };
        WebApplication? app = null;
        try
        {
            var error = await Assert.ThrowsAsync<ColdmodStoreException>(async () =>
            {
                app = ServerHost.Build(settings, log, testServer: true);
                await app.StartAsync();
            });

            Assert.StartsWith($"Redis at 127.0.0.1:{redis.Port} refused the credentials", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }
}
