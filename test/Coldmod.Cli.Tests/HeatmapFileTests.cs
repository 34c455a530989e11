using System.Text;
using Coldmod.TestSupport;
using Coldmod.Weaver;

namespace Coldmod.Cli.Tests;

// The reader of the documented heatmap format, which fetch and a server-side import share. (That it reads what the
// runtime writes is tested beside the writer, in Coldmod.Runtime.Tests.)
public sealed class HeatmapFileTests : IDisposable
{
    private readonly TempDirectory _directory = new("coldmod-heatmap-reader");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Reads_the_entries_in_file_order_and_ignores_fields_it_does_not_know()
    {
        var path = _directory.Write("heatmap.json", """
            {"format":1,"run":"ci-42","entries":[
              {"key":"Shop.Cache`1.Get``1(``0,`0)","count":9007199254740993,"file":"src/Shop/Cache.cs","line":8,"firstSeen":"2025-01-01"},
              {"key":"Shop.Cart.Add(System.Decimal)","count":0,"file":"","line":1}
            ]}
            """);

        var entries = HeatmapFile.Read(path);

        Assert.Equal(
            [
                new HeatmapEntry("Shop.Cache`1.Get``1(``0,`0)", 9007199254740993, "src/Shop/Cache.cs", 8),
                new HeatmapEntry("Shop.Cart.Add(System.Decimal)", 0, "", 1),
            ],
            entries);
        Assert.Equal("src/Shop/Cache.cs:8", entries[0].Location);
    }

    [Theory]
    [InlineData("[]", "the top level is not an object")]
    [InlineData("{\"entries\":[]}", "\"format\" is missing or not a number")]
    [InlineData("{\"format\":\"1\",\"entries\":[]}", "\"format\" is missing or not a number")]
    [InlineData("{\"format\":1,\"entries\":{}}", "\"entries\" is missing or not an array")]
    [InlineData("{\"format\":1,\"entries\":[7]}", "entries[0] is not an object")]
    [InlineData("{\"format\":1,\"entries\":[{\"key\":\"\",\"count\":1,\"file\":\"a.cs\",\"line\":1}]}", "entries[0].key is missing, empty or not a string")]
    [InlineData("{\"format\":1,\"entries\":[{\"key\":\"A\",\"file\":\"a.cs\",\"line\":1}]}", "entries[0].count (A) is missing or not a non-negative integer")]
    [InlineData("{\"format\":1,\"entries\":[{\"key\":\"A\",\"count\":-3,\"file\":\"a.cs\",\"line\":1}]}", "entries[0].count (A) is missing or not a non-negative integer")]
    [InlineData("{\"format\":1,\"entries\":[{\"key\":\"A\",\"count\":1,\"file\":7,\"line\":1}]}", "entries[0].file (A) is missing or not a string")]
    [InlineData("{\"format\":1,\"entries\":[{\"key\":\"A\",\"count\":1,\"file\":\"a.cs\"}]}", "entries[0].line (A) is missing or not a positive integer")]
    [InlineData("{\"format\":1,\"entries\":[{\"key\":\"A\",\"count\":1,\"file\":\"a.cs\",\"line\":1},{\"key\":\"A\",\"count\":2,\"file\":\"b.cs\",\"line\":2}]}", "entries[1] repeats the key A")]
    public void Rejects_what_is_not_a_format_1_heatmap_naming_the_source_and_the_problem(string json, string problem)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));

        var error = Assert.Throws<InvalidDataException>(() => HeatmapFile.Read(stream, "upload #3"));

        Assert.Equal($"Heatmap file upload #3 is malformed: {problem}.", error.Message);
    }

    [Fact]
    public void A_missing_file_is_a_file_not_found_naming_it()
    {
        var path = _directory.Combine("missing.json");

        var error = Assert.Throws<FileNotFoundException>(() => HeatmapFile.Read(path));

        Assert.Equal($"Heatmap file not found: {path}", error.Message);
        Assert.Equal(path, error.FileName);
    }
}
