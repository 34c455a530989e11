using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Coldmod.Protocol;
using Coldmod.Server;
using Coldmod.TestSupport;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Coldmod.Benchmarks;

// A process start of a 50,000-src app against a real server on loopback: the first start of a build sends the srcs,
// every later start of that build only its version id. The baseline is what every start cost before versions: the
// whole srcs set each time. Bytes per start are printed at set-up (the protobuf size of the Set requests).
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1, 1)]
public class ProcessStartBenchmarks
{
    private const int Srcs = 50_000;
    private const int KnownStarts = 1000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"coldmod-starts-{Environment.ProcessId}");
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;
    private Traces.TracesClient _traces = null!;
    private SetRequest _full = null!;
    private SetRequest _known = null!;
    private int _build;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_directory);
        var grpcPort = LoopbackPort.Free();
        var builder = ColdmodServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["COLDMOD_INSECURE"] = "on",
            ["COLDMOD_STORE"] = Path.Combine(_directory, "starts.db"),
            ["COLDMOD_GRPC_HOST"] = $"127.0.0.1:{grpcPort}",
            ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{LoopbackPort.Free()}",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = ColdmodServer.Build(builder);
        _app.StartAsync().GetAwaiter().GetResult();
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxSendMessageSize = 64 * 1024 * 1024 });
        _traces = new Traces.TracesClient(_channel);

        _full = new SetRequest { App = "fleet", Version = "build-0", Label = "commit 0123456789abcdef" };
        _full.Srcs.AddRange(Enumerable.Range(0, Srcs).Select(i => new Src
        {
            Key = $"Fleet.Area{i / 1000}.Type{i / 20}.Method{i % 20}(System.Int32,System.String)",
            File = $"src/Area{i / 1000}/Type{i / 20}.cs",
            Line = (uint)(i % 20 * 10) + 1,
        }));
        _traces.Set(_full);
        _known = new SetRequest { App = "fleet", Version = "build-0", Label = _full.Label, VersionOnly = true };
        Console.WriteLine($"// bytes per start: first start of a build {_full.CalculateSize():N0} (+ {_known.CalculateSize()} for the version-only try), " +
            $"later start {_known.CalculateSize():N0}; {KnownStarts:N0} starts: {(long)_full.CalculateSize() * KnownStarts:N0} before versions, " +
            $"{_full.CalculateSize() + (long)_known.CalculateSize() * (KnownStarts + 1):N0} with");
    }

    // Before versions, and still for the first process of a new build: the whole srcs set, applied by the server.
    [Benchmark(Baseline = true)]
    public void Start_sending_every_src()
    {
        _full.Version = $"build-{++_build}";
        _traces.Set(_full);
    }

    [Benchmark(OperationsPerInvoke = KnownStarts)]
    public void Start_of_a_known_build()
    {
        for (var start = 0; start < KnownStarts; start++)
        {
            if (_traces.Set(_known).VersionUnknown)
            {
                throw new UnreachableException("the server lost the build it was given at set-up");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }
}
