using System.Collections;
using System.Reflection;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Coldmod.Runtime;

namespace Coldmod.Benchmarks;

/// <summary>
/// What the runtime pays on its first drain to name a large module's srcs: decoding a 50,000-src Coldmod.Srcs table
/// (2,500 types in 250 namespaces, 20 members each with made-up names, a tenth of them lambdas, some labelled), in the compact format 3
/// against the JSON format 2 of the same srcs, which is the baseline. SrcsTable is internal to Coldmod.Runtime, so it
/// is reached by reflection, once, at set-up.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SrcsTableDecode
{
    private const int Types = 2_500;
    private const int MembersPerType = 20;

    private static readonly Type s_table = typeof(ColdmodModules).Assembly.GetType("Coldmod.Runtime.Internal.SrcsTable", throwOnError: true)!;
    private static readonly Type s_entry = typeof(ColdmodModules).Assembly.GetType("Coldmod.Runtime.Internal.SrcEntry", throwOnError: true)!;

    private Func<byte[], object> _read = _ => throw new InvalidOperationException("not set up");
    private byte[] _compact = [];
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup()
    {
        var srcs = Generate();
        var entries = Array.CreateInstance(s_entry, srcs.Count);
        for (var i = 0; i < srcs.Count; i++)
        {
            entries.SetValue(Activator.CreateInstance(s_entry, srcs[i].Key, srcs[i].File, srcs[i].Line, srcs[i].Label), i);
        }

        var table = Activator.CreateInstance(s_table, entries)!;
        using (var stream = new MemoryStream())
        {
            s_table.GetMethod("WriteTo")!.Invoke(table, [stream]);
            _compact = stream.ToArray();
        }

        _json = Json(srcs);
        var read = s_table.GetMethod("Read", BindingFlags.Public | BindingFlags.Static, [typeof(byte[])])!;
        _read = read.CreateDelegate<Func<byte[], object>>();
        var count = ((ICollection)s_table.GetProperty("Entries")!.GetValue(_read(_compact))!).Count;
        var jsonCount = ((ICollection)s_table.GetProperty("Entries")!.GetValue(_read(_json))!).Count;
        if (count != srcs.Count || jsonCount != srcs.Count)
        {
            throw new InvalidOperationException($"read {count} and {jsonCount} srcs of {srcs.Count}");
        }

        Console.WriteLine($"// {srcs.Count} srcs: format 3 {_compact.Length} bytes ({(double)_compact.Length / srcs.Count:F1} a src), format 2 {_json.Length} bytes ({(double)_json.Length / srcs.Count:F1} a src)");
    }

    [Benchmark(Baseline = true)]
    public object Format2Json() => _read(_json);

    [Benchmark]
    public object Format3Compact() => _read(_compact);

    // Names made of random syllables, so that members and types are as varied as real ones and the table's size is a fair one.
    private static List<(string Key, string File, int Line, string? Label)> Generate()
    {
        var random = new Random(42);
        string[] syllables = ["or", "der", "price", "cat", "log", "ship", "ment", "pay", "user", "ac", "count", "re", "port", "in", "voice", "tax", "stock", "item", "cart", "sync"];
        string Word() => string.Concat(Enumerable.Range(0, random.Next(2, 4)).Select(_ => syllables[random.Next(syllables.Length)])) is var w
            ? char.ToUpperInvariant(w[0]) + w[1..]
            : "";
        string[] parameterTypes = ["System.Int32", "System.String", "System.Threading.CancellationToken", "System.Guid", "System.Decimal", "System.DateTimeOffset", "System.Collections.Generic.IReadOnlyList{System.String}"];
        var srcs = new List<(string, string, int, string?)>(Types * MembersPerType);
        for (var t = 0; t < Types; t++)
        {
            var area = Word();
            var ns = $"Company.Product.{area}.Feature{t / 10}";
            var typeName = Word() + (t % 3 == 0 ? "Service" : "Handler");
            var type = $"{ns}.{typeName}";
            var file = $"src/{area}/Feature{t / 10}/{typeName}.cs";
            var line = 10;
            for (var m = 0; m < MembersPerType; m++)
            {
                var member = m == 0 ? "#ctor" : Word();
                var parameters = random.Next(3) == 0 ? "" : "(" + string.Join(",", Enumerable.Range(0, random.Next(1, 4)).Select(_ => parameterTypes[random.Next(parameterTypes.Length)]).Concat(t % 7 == 0 ? [$"{ns}.{Word()}"] : [])) + ")";
                var key = $"{type}.{member}{parameters}" + (m % 10 == 9 ? $"=>{random.Next(4)}" : "");
                srcs.Add((key, file, line, m == 3 && t % 5 == 0 ? $"GET /{area.ToLowerInvariant()}/{t}/{{id}}" : null));
                line += random.Next(3, 30);
            }
        }

        return srcs;
    }

    // Format 2 as the weaver wrote it before the compact format.
    private static byte[] Json(List<(string Key, string File, int Line, string? Label)> srcs)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", 2);
            writer.WriteStartArray("srcs");
            foreach (var (key, file, line, label) in srcs)
            {
                writer.WriteStartObject();
                writer.WriteString("key", key);
                writer.WriteString("file", file);
                writer.WriteNumber("line", line);
                if (label is not null)
                {
                    writer.WriteString("label", label);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
