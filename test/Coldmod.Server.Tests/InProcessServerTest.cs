using Coldmod.Protocol;
using Coldmod.Server.Tests.Infrastructure;
using Coldmod.TestSupport;
using Xunit.Abstractions;

namespace Coldmod.Server.Tests;

// A fresh in-process server with its own store for every test.
public abstract class InProcessServerTest(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("coldmod-server");

    protected ServerHost Server { get; private set; } = null!;

    protected Traces.TracesClient Traces => Server.Traces;

    protected Ops.OpsClient Ops => Server.Ops;

    protected string StorePath => _directory.Combine("coldmod.db");

    protected virtual ServerSettings Settings => new() { Store = StorePath };

    public async Task InitializeAsync() => Server = await ServerHost.StartInProcessAsync(Settings, output);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _directory.Dispose();
    }
}
