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

    // The store under test: the SQLite file here; the Redis contract classes override it.
    protected virtual string Store => StorePath;

    protected virtual ServerSettings Settings => new() { Store = Store };

    public async Task InitializeAsync()
    {
        await PrepareStoreAsync();
        Server = await ServerHost.StartInProcessAsync(Settings, output);
    }

    protected virtual Task PrepareStoreAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _directory.Dispose();
    }
}
