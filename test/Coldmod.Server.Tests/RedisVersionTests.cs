using Coldmod.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Coldmod.Server.Tests;

public sealed class RedisVersionTests(RedisServer redis, ITestOutputHelper output) : VersionTests(output), IClassFixture<RedisServer>
{
    protected override string Store => redis.Url;

    protected override Task PrepareStoreAsync() => redis.FlushAsync();
}
