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
    ];

    [Fact]
    public void Read_returns_what_WriteTo_wrote()
    {
        using var stream = new MemoryStream();
        new SrcsTable(s_entries).WriteTo(stream);
        stream.Position = 0;

        var read = SrcsTable.Read(stream);

        Assert.Equal(s_entries, read.Entries);
    }

    [Fact]
    public void WriteTo_writes_the_documented_format_with_the_probe_index_as_array_index()
    {
        using var stream = new MemoryStream();
        new SrcsTable(s_entries).WriteTo(stream);

        using var document = JsonDocument.Parse(stream.ToArray());
        var root = document.RootElement;
        Assert.Equal(2, root.GetProperty("format").GetInt32());
        var srcs = root.GetProperty("srcs");
        Assert.Equal(s_entries.Length, srcs.GetArrayLength());
        var second = srcs[1];
        Assert.Equal("Shop.Cache`1.Get``1(``0,`0)", second.GetProperty("key").GetString());
        Assert.Equal("src/Shop/Cache.cs", second.GetProperty("file").GetString());
        Assert.Equal(7, second.GetProperty("line").GetInt32());
        Assert.False(second.TryGetProperty("label", out _));
        Assert.Equal("GET /todos/{id}", srcs[4].GetProperty("label").GetString());
    }

    [Fact]
    public void A_format_1_table_of_an_assembly_woven_before_labels_is_still_read()
    {
        var table = Read("""{"format":1,"srcs":[{"key":"A.B","file":"a.cs","line":3}]}""");

        Assert.Equal([new SrcEntry("A.B", "a.cs", 3)], table.Entries);
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
        using var stream = new MemoryStream();
        new SrcsTable([]).WriteTo(stream);
        stream.Position = 0;

        Assert.Empty(SrcsTable.Read(stream).Entries);
    }

    [Fact]
    public void Read_ignores_properties_it_does_not_know()
    {
        var table = Read("""{"format":1,"tool":"x","srcs":[{"key":"A.B","file":"a.cs","line":3,"column":9}]}""");

        Assert.Equal([new SrcEntry("A.B", "a.cs", 3)], table.Entries);
    }

    [Theory]
    [InlineData("{\"format\":1,\"srcs\":[", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "top level is an array")]
    [InlineData("{\"srcs\":[]}", "\"format\" is missing")]
    [InlineData("{\"format\":3,\"srcs\":[]}", "format 3 is not supported")]
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
    public void Read_rejects_malformed_input_naming_the_problem(string json, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(json));

        Assert.StartsWith("Malformed Coldmod.Srcs table: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
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

    private static SrcsTable Read(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return SrcsTable.Read(stream);
    }
}
