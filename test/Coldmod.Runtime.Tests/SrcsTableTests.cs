using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

public sealed class SrcsTableTests
{
    private static readonly SrcEntry[] s_entries =
    [
        new("Shop.Orders.OrderService.Cancel(System.Int32)", "src/Shop/Orders.cs", 42),
        new("Shop.Cache`1.Get``1(``0,`0)", "src/Shop/Cache.cs", 7),
        new("Shop.Orders.OrderService.#ctor", "src/Shop/Orders.cs", 12),
        new("Shop.Café.Ünïcode\"<&>'", "src/Shop/Café.cs", 1),
        new("Todos.TodoApi.MapTodos(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)=>1", "Todos/TodoApi.cs", 29, "GET /todos/{id}"),
        new("Todos.TodoApi.MapTodos(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)=>2=>Local", "Todos/TodoApi.cs", 31, ""),
        new("Shop.Money.op_Explicit(Shop.Money)~System.Decimal", "src/Shop/Money.cs", 3),
        new("N.T.System#Collections#Generic#IEnumerable{System#Int32}#GetEnumerator", "", int.MaxValue),
    ];

    [Fact]
    public void Read_returns_what_WriteTo_wrote()
    {
        var read = SrcsTable.Read(Write(s_entries));

        Assert.Equal(s_entries, read.Entries);
    }

    // The property: any entries the writer accepts come back field for field, whatever the keys look like.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_tables_round_trip_exactly(int seed)
    {
        var random = new Random(seed);
        var entries = Enumerable.Range(0, 2_000).Select(_ => RandomEntry(random)).ToArray();

        var read = SrcsTable.Read(Write(entries));

        Assert.Equal(entries, read.Entries);
    }

    [Fact]
    public void WriteTo_writes_the_format_number_first_then_a_deflated_body_storing_each_file_and_type_once()
    {
        var content = Write(s_entries);

        Assert.Equal(SrcsTable.Format, content[0]);
        Assert.Equal(3, content[0]);
        var body = Inflate(content);
        Assert.Equal(s_entries.Length, body[0]);
        Assert.Equal(1, Occurrences(body, "src/Shop/Orders.cs"));
        Assert.Equal(1, Occurrences(body, "Shop.Orders.OrderService."));
        Assert.Equal(1, Occurrences(body, "(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)"));
        Assert.Equal(1, Occurrences(body, "GET /todos/{id}"));
    }

    [Fact]
    public void A_table_of_many_srcs_sharing_types_and_files_takes_a_few_bytes_a_src()
    {
        var entries = Enumerable.Range(0, 10_000)
            .Select(i => new SrcEntry($"App.Feature{i / 100}.Service{i / 20}.Method{i % 20}(System.Int32,System.String)", $"src/Feature{i / 100}/Service{i / 20}.cs", 10 + (i % 20 * 7)))
            .ToArray();

        var content = Write(entries);

        Assert.True(content.Length < 5 * entries.Length, $"{content.Length} bytes for {entries.Length} srcs");
        Assert.Equal(entries, SrcsTable.Read(content).Entries);
    }

    [Fact]
    public void A_format_1_table_of_an_assembly_woven_before_labels_is_still_read()
    {
        var table = Read("""{"format":1,"srcs":[{"key":"A.B","file":"a.cs","line":3}]}""");

        Assert.Equal([new SrcEntry("A.B", "a.cs", 3)], table.Entries);
    }

    [Fact]
    public void A_format_2_table_as_the_previous_weaver_wrote_it_is_still_read()
    {
        var table = SrcsTable.Read(LegacyJson(s_entries));

        Assert.Equal(s_entries, table.Entries);
    }

    [Fact]
    public void WriteTo_leaves_the_stream_open()
    {
        using var stream = new MemoryStream();
        new SrcsTable(s_entries).WriteTo(stream);

        Assert.True(stream.CanWrite);
        Assert.True(stream.Length > 0);
    }

    [Fact]
    public void An_empty_table_round_trips()
    {
        Assert.Empty(SrcsTable.Read(Write([])).Entries);
    }

    [Fact]
    public void Read_from_a_stream_reads_what_it_holds()
    {
        using var stream = new MemoryStream(Write(s_entries));

        Assert.Equal(s_entries, SrcsTable.Read(stream).Entries);
    }

    [Fact]
    public void Read_ignores_json_properties_it_does_not_know()
    {
        var table = Read("""{"format":1,"tool":"x","srcs":[{"key":"A.B","file":"a.cs","line":3,"column":9}]}""");

        Assert.Equal([new SrcEntry("A.B", "a.cs", 3)], table.Entries);
    }

    [Fact]
    public void A_newer_format_says_what_it_is_and_what_to_do()
    {
        var error = Assert.Throws<InvalidDataException>(() => SrcsTable.Read([SrcsTable.Format + 1, 0x63, 0x00]));

        Assert.Equal(
            "Coldmod.Srcs table format 4 is newer than this Coldmod.Runtime reads (formats 1 to 3): the assembly was woven by a newer Coldmod. "
            + "Reference the Coldmod package version that wove it (or newer) from the app.",
            error.Message);
    }

    [Theory]
    [InlineData("{\"format\":1,\"srcs\":[", "not valid JSON")]
    [InlineData("", "it is empty")]
    [InlineData(" []", "top level is an array")]
    [InlineData("{\"srcs\":[]}", "\"format\" is missing")]
    [InlineData("{\"format\":3,\"srcs\":[]}", "format 3 is not a JSON format")]
    [InlineData("{\"format\":2,\"srcs\":[{\"key\":\"A\",\"file\":\"a.cs\",\"line\":1,\"label\":7}]}", "srcs[0].label (A) is not a string")]
    [InlineData("{\"format\":1}", "\"srcs\" is missing")]
    [InlineData("{\"format\":1,\"srcs\":{}}", "\"srcs\" is missing or not an array")]
    [InlineData("{\"format\":1,\"srcs\":[42]}", "srcs[0] is a number")]
    [InlineData("{\"format\":1,\"srcs\":[{\"file\":\"a.cs\",\"line\":1}]}", "srcs[0].key is missing")]
    [InlineData("{\"format\":1,\"srcs\":[{\"key\":\"\",\"file\":\"a.cs\",\"line\":1}]}", "srcs[0].key is empty")]
    [InlineData("{\"format\":1,\"srcs\":[{\"key\":\"A\",\"line\":1}]}", "srcs[0].file is missing")]
    [InlineData("{\"format\":1,\"srcs\":[{\"key\":\"A\",\"file\":\"a.cs\",\"line\":1},{\"key\":\"B\",\"file\":\"a.cs\",\"line\":\"9\"}]}", "srcs[1].line (B)")]
    [InlineData("{\"format\":1,\"srcs\":[{\"key\":\"A\",\"file\":\"a.cs\",\"line\":0}]}", "not a positive integer")]
    [InlineData("{\"format\":1,\"srcs\":[{\"key\":\"A\",\"file\":\"a.cs\",\"line\":1.5}]}", "not a positive integer")]
    public void Read_rejects_malformed_json_naming_the_problem(string json, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(json));

        Assert.StartsWith("Malformed Coldmod.Srcs table: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<byte[], string> DamagedBodies => new()
    {
        { Body(1, 0), "it ends inside the member count" },
        { OneSrc(0, 1, 0, 0, 0, 0, 2), "srcs[0] names member 1, but only 1 are stored" },
        { OneSrc(0, 0, 0, 0, 0, 5, 2), "srcs[0] names label 5, but only 0 are stored" },
        { OneSrc(0, 0, 0, 0, 0, 0, 0), "srcs[0].line (A) is 0, not a positive integer" },
        { OneSrc(0, 0, 0, 0, 0, 0), "it ends inside srcs[0].line" },
        { OneSrc(0, 0, 0, 0, 0, 0, 2, 9), "1 bytes follow the last src" },
        { Body(0, 1, 1, 0xFF), "type 0 is not valid UTF-8" },
        { Body(0, 1, 9, (byte)'A'), "type 0 is 9 bytes long" },
        { Body(0xC8, 0x01, 0), "the src count is 200" },
        { Body(0x80, 0x80, 0x80, 0x80, 0x7F), "the src count is not a 32-bit number" },
        { [SrcsTable.Format, 0xFF, 0xFF, 0xFF], "its compressed body is damaged" },
        { [1, 0, 0], "it starts with byte 1, which is neither format 3 nor JSON" },
    };

    [Theory]
    [MemberData(nameof(DamagedBodies))]
    public void Read_rejects_a_damaged_table_naming_the_problem(byte[] content, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => SrcsTable.Read(content));

        Assert.StartsWith("Malformed Coldmod.Srcs table: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_of_a_table_is_rejected_as_malformed_and_nothing_else()
    {
        var body = Inflate(Write(s_entries));
        for (var length = 0; length < body.Length; length++)
        {
            var content = Deflate(body.AsSpan(0, length).ToArray());

            var error = Assert.Throws<InvalidDataException>(() => SrcsTable.Read(content));

            Assert.StartsWith("Malformed Coldmod.Srcs table: ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_keeps_the_parser_error_as_inner_exception()
    {
        var error = Assert.Throws<InvalidDataException>(() => Read("{\"format\":"));

        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Theory]
    [InlineData("", "a.cs", 1, "empty key")]
    [InlineData("A.B", "a.cs", 0, "line 0")]
    public void The_writer_rejects_entries_the_reader_would_reject(string key, string file, int line, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => new SrcsTable([new SrcEntry(key, file, line)]));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    private static SrcEntry RandomEntry(Random random)
    {
        string[] pieces = ["N", "Shop.Orders", ".", "(", ")", "=>", "=>1", "`1", "``0", "#ctor", "{System#Int32}", "~", ",", "é", "日本", "\"", "\0", "=", ">", " "];
        string Text(int most) => string.Concat(Enumerable.Range(0, random.Next(most + 1)).Select(_ => pieces[random.Next(pieces.Length)]));
        var key = Text(8);
        key = key.Length == 0 ? "K" : key;
        var label = random.Next(4) switch
        {
            0 => null,
            1 => "",
            _ => Text(3),
        };
        return new SrcEntry(key, Text(2), random.Next(3) == 0 ? random.Next(1, int.MaxValue) : random.Next(1, 50), label);
    }

    private static byte[] Write(IReadOnlyList<SrcEntry> entries)
    {
        using var stream = new MemoryStream();
        new SrcsTable(entries).WriteTo(stream);
        return stream.ToArray();
    }

    private static byte[] Body(params byte[] body) => Deflate(body);

    // One src whose pools hold the type "A" and one empty member, parameter list, suffix and file, and no label,
    // followed by its columns.
    private static byte[] OneSrc(params byte[] columns) => Deflate([1, 1, 1, (byte)'A', 1, 0, 1, 0, 1, 0, 1, 0, 0, .. columns]);

    private static byte[] Deflate(byte[] body)
    {
        using var stream = new MemoryStream();
        stream.WriteByte(SrcsTable.Format);
        using (var deflate = new DeflateStream(stream, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(body);
        }

        return stream.ToArray();
    }

    private static byte[] Inflate(byte[] content)
    {
        using var deflate = new DeflateStream(new MemoryStream(content, 1, content.Length - 1), CompressionMode.Decompress);
        using var body = new MemoryStream();
        deflate.CopyTo(body);
        return body.ToArray();
    }

    private static int Occurrences(byte[] body, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        var count = 0;
        for (var at = body.AsSpan().IndexOf(needle); at >= 0; at = IndexAfter(body, needle, at))
        {
            count++;
        }

        return count;
    }

    private static int IndexAfter(byte[] body, byte[] needle, int at)
    {
        var next = body.AsSpan(at + 1).IndexOf(needle);
        return next < 0 ? -1 : at + 1 + next;
    }

    // Format 2 exactly as the weaver wrote it before format 3.
    private static byte[] LegacyJson(IReadOnlyList<SrcEntry> entries)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", 2);
            writer.WriteStartArray("srcs");
            foreach (var entry in entries)
            {
                writer.WriteStartObject();
                writer.WriteString("key", entry.Key);
                writer.WriteString("file", entry.File);
                writer.WriteNumber("line", entry.Line);
                if (entry.Label is not null)
                {
                    writer.WriteString("label", entry.Label);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static SrcsTable Read(string json) => SrcsTable.Read(Encoding.UTF8.GetBytes(json));
}
