using Coldmod.TestSupport;
using Microsoft.CodeAnalysis;

namespace Coldmod.Weaver.Tests.Scanning;

/// <summary>
/// Entry points are labelled at build time from the compiled app: minimal-API handlers (lambdas and method groups,
/// under constant MapGroup prefixes), controller actions, gRPC service overrides and hosted services. The app is
/// compiled against the real ASP.NET Core shared framework.
/// </summary>
public sealed class EntryPointLabelTests : IDisposable
{
    private const string Source = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Extensions.Hosting;

        namespace Todos
        {
            public static class TodoApi
            {
                public static void MapTodos(this IEndpointRouteBuilder routes)
                {
                    var group = routes.MapGroup("/todos");
                    group.WithTags("Todos");
                    group.MapGet("/", () => "all");
                    group.MapGet("/{id}", (int id) => id);
                    group.MapPost("/", Create);
                    group.MapMethods("/bulk", new[] { "PUT", "PATCH" }, () => "bulk");
                    var admin = group.MapGroup("admin").RequireAuthorization();
                    admin.MapDelete("/{id}", async (int id) => { await Task.Yield(); return id; });
                    routes.MapGet("/health", static () => "ok");
                    Func<int> notAnEndpoint = () => 1;
                    notAnEndpoint();
                }

                public static string Create(string body) => body;
            }

            [ApiController]
            [Route("api/[controller]")]
            public sealed class OrdersController : ControllerBase
            {
                [HttpGet("{id}")]
                public int Get(int id) => id;

                [HttpPost]
                public int Post() => 1;

                [HttpGet("/absolute")]
                public int Absolute() => 2;

                public int Helper() => 3;
            }

            public sealed class Cleaner : BackgroundService
            {
                protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
            }

            public sealed class Starter : IHostedService
            {
                public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

                public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            }

            // As Grpc.Tools generates it: the service name in a static field, the base marked [BindServiceMethod].
            public static partial class Greeter
            {
                static readonly string __ServiceName = "greet.Greeter";

                public static string Name => __ServiceName;

                [Grpc.Core.BindServiceMethod(typeof(Greeter), "BindService")]
                public abstract partial class GreeterBase
                {
                    public virtual Task<string> SayHello(string request) => throw new NotImplementedException();
                }
            }

            public sealed class GreeterService : Greeter.GreeterBase
            {
                public override Task<string> SayHello(string request) => Task.FromResult(request);
            }
        }

        namespace Grpc.Core
        {
            [AttributeUsage(AttributeTargets.Class)]
            public sealed class BindServiceMethodAttribute(Type bindType, string bindMethodName) : Attribute
            {
                public Type BindType { get; } = bindType;

                public string BindMethodName { get; } = bindMethodName;
            }
        }
        """;

    private const string MapTodos = "Todos.TodoApi.MapTodos(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)";

    private readonly TempDirectory _workspace = new("coldmod-labels");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Entry_points_carry_their_route_or_role(bool optimize)
    {
        var labels = Scan(optimize).ToDictionary(s => s.Key, s => s.Label, StringComparer.Ordinal);

        Assert.Equal("GET /todos/", labels[MapTodos + "=>0"]);
        Assert.Equal("GET /todos/{id}", labels[MapTodos + "=>1"]);
        Assert.Equal("POST /todos/", labels["Todos.TodoApi.Create(System.String)"]);
        Assert.Equal("PUT,PATCH /todos/bulk", labels[MapTodos + "=>2"]);
        Assert.Equal("DELETE /todos/admin/{id}", labels[MapTodos + "=>3"]);
        Assert.Equal("GET /health", labels[MapTodos + "=>4"]);
        Assert.Null(labels[MapTodos + "=>5"]);
        Assert.Null(labels[MapTodos]);

        Assert.Equal("GET api/Orders/{id}", labels["Todos.OrdersController.Get(System.Int32)"]);
        Assert.Equal("POST api/Orders", labels["Todos.OrdersController.Post"]);
        Assert.Equal("GET /absolute", labels["Todos.OrdersController.Absolute"]);
        Assert.Null(labels["Todos.OrdersController.Helper"]);

        Assert.Equal("hosted service", labels["Todos.Cleaner.ExecuteAsync(System.Threading.CancellationToken)"]);
        Assert.Equal("hosted service", labels["Todos.Starter.StartAsync(System.Threading.CancellationToken)"]);
        Assert.Null(labels["Todos.Starter.StopAsync(System.Threading.CancellationToken)"]);

        Assert.Equal("gRPC greet.Greeter/SayHello", labels["Todos.GreeterService.SayHello(System.String)"]);
        Assert.Null(labels["Todos.Greeter.GreeterBase.SayHello(System.String)"]);
    }

    public void Dispose() => _workspace.Dispose();

    private IReadOnlyList<TraceSrc> Scan(bool optimize)
    {
        var directory = _workspace.Combine(optimize ? "release" : "debug");
        Directory.CreateDirectory(directory);
        var marker = Path.Combine(directory, "coldmod.rootmarker");
        File.WriteAllText(marker, "");
        var file = Path.Combine(directory, "TodoApi.cs");
        File.WriteAllText(file, Source);
        var assembly = TestCompilation.Compile("Todos", [new SourceInput(file)], Path.Combine(directory, "bin"), optimize, references: AspNetCoreReferences());
        return SrcScanner.Scan(assembly.AssemblyPath, RootMarker.Load(marker)).Srcs;
    }

    // The ASP.NET Core shared framework installed beside the running .NET runtime, of the same version.
    internal static IEnumerable<MetadataReference> AspNetCoreReferences()
    {
        var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var shared = runtime.Parent!.Parent!;
        var aspNetCore = shared.GetDirectories("Microsoft.AspNetCore.App")
            .SelectMany(d => d.GetDirectories())
            .Where(d => d.Name.Split('.')[0] == runtime.Name.Split('.')[0])
            .OrderByDescending(d => d.Name, StringComparer.Ordinal)
            .First();
        return aspNetCore.GetFiles("*.dll").Select(f => MetadataReference.CreateFromFile(f.FullName));
    }
}
