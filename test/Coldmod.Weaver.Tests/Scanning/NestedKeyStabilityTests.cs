using Coldmod.TestSupport;

namespace Coldmod.Weaver.Tests.Scanning;

/// <summary>
/// A lambda's key must survive the edits people make every day around it: code added elsewhere in the file,
/// members added before its member, statements added in its member, lambdas added after it, reformatting. Each
/// lambda is found by the marker comment on its line, in both versions of the source.
/// </summary>
public sealed class NestedKeyStabilityTests : IDisposable
{
    private const string Before = """
        using System;
        using System.Collections.Generic;

        namespace Api;

        public sealed class Routes
        {
            public void Map(List<Func<int, int>> routes)
            {
                routes.Add(x => x + 1); // first
                routes.Add(x => Scale(x)); // second
                routes.Add(x => { Func<int, int> inner = y => y * x; return inner(x); }); // outer
                int Scale(int v) => v * 3; // local
            }
        }
        """;

    // Edits around the lambdas, none of them adding a lambda before one that exists.
    private const string After = """
        using System;
        using System.Collections.Generic;
        using System.Linq;

        namespace Api;

        public sealed class Routes
        {
            private readonly List<string> _log = new();

            public Routes() => _log.Add("created");

            public int Count(IEnumerable<int> values) => values.Count();

            public void Map(List<Func<int, int>> routes)
            {
                _log.Add("mapping");
                if (routes.Count > 100)
                {
                    throw new InvalidOperationException("too many");
                }

                routes.Add(x => x + 1); // first
                _log.Add("first added");
                routes.Add(x =>
                    Scale(x)); // second
                routes.Add(x => { Func<int, int> inner = y => y * x; return inner(x); }); // outer
                routes.Add(x => x - 1);
                int Scale(int v) => v * 3; // local
                int Unused(int v) => v;
            }

            public void Later(List<Func<int, int>> routes) => routes.Add(x => x);
        }
        """;

    private readonly TempDirectory _workspace = new("coldmod-stability");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Keys_of_lambdas_and_local_functions_do_not_change_when_code_around_them_does(bool optimize)
    {
        var before = KeysByMarker(Before, "before", optimize);
        var after = KeysByMarker(After, "after", optimize);

        Assert.Equal("Api.Routes.Map(System.Collections.Generic.List{System.Func{System.Int32,System.Int32}})=>0", before["first"]);
        Assert.Equal("Api.Routes.Map(System.Collections.Generic.List{System.Func{System.Int32,System.Int32}})=>Scale", before["local"]);
        Assert.Equal(4, before.Count);
        Assert.Equal(before, after);
    }

    [Fact]
    public void A_nested_lambda_is_keyed_under_the_lambda_it_is_written_in()
    {
        var keys = Scan(Before, "nested", optimize: true).Select(s => s.Key).ToList();

        const string Map = "Api.Routes.Map(System.Collections.Generic.List{System.Func{System.Int32,System.Int32}})";
        Assert.Equal([Map, Map + "=>0", Map + "=>1", Map + "=>2", Map + "=>2=>0", Map + "=>Scale"], keys.Order(StringComparer.Ordinal));
    }

    public void Dispose() => _workspace.Dispose();

    // marker -> key of the nested src on the marker's line (the member itself is left out).
    private Dictionary<string, string> KeysByMarker(string source, string name, bool optimize)
    {
        var lines = source.Split('\n');
        var srcs = Scan(source, name, optimize);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = lines[i].IndexOf("// ", StringComparison.Ordinal);
            if (marker < 0)
            {
                continue;
            }

            // A lambda written over two lines starts on the line above its marker.
            var src = srcs.Where(s => s.Key.Contains("=>", StringComparison.Ordinal) && (s.Line == i + 1 || s.Line == i))
                .OrderBy(s => s.Line == i + 1 ? 0 : 1)
                .ThenBy(s => s.Key.Length)
                .First();
            keys[lines[i][(marker + 3)..].Trim()] = src.Key;
        }

        return keys;
    }

    private IReadOnlyList<TraceSrc> Scan(string source, string name, bool optimize)
    {
        var directory = _workspace.Combine(name + (optimize ? "-release" : "-debug"));
        var marker = Path.Combine(directory, "coldmod.rootmarker");
        Directory.CreateDirectory(directory);
        File.WriteAllText(marker, "");
        var file = Path.Combine(directory, "Routes.cs");
        File.WriteAllText(file, source);
        var assembly = TestCompilation.Compile("Api", [new SourceInput(file)], Path.Combine(directory, "bin"), optimize);
        return SrcScanner.Scan(assembly.AssemblyPath, RootMarker.Load(marker)).Srcs;
    }
}
