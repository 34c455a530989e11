using Coldmod.TestSupport;

namespace Coldmod.Weaver.Tests.Scanning;

public sealed class RootMarkerTests : IDisposable
{
    private readonly TempDirectory _temp = new("coldmod-marker");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Find_walks_up_from_a_nested_directory_to_the_marker()
    {
        var marker = _temp.Write("shop/coldmod.rootmarker", "");
        var nested = _temp.Combine("shop", "src", "Orders", "Internal");
        Directory.CreateDirectory(nested);

        var root = RootMarker.Find(nested);

        Assert.Equal(marker, root.FilePath);
        Assert.Equal(_temp.Combine("shop"), root.RootDirectory);
    }

    [Fact]
    public void Find_stops_at_the_nearest_marker()
    {
        _temp.Write("coldmod.rootmarker", "");
        var inner = _temp.Write("services/billing/coldmod.rootmarker", "");
        var start = _temp.Combine("services", "billing", "src");
        Directory.CreateDirectory(start);

        Assert.Equal(inner, RootMarker.Find(start).FilePath);
    }

    [Fact]
    public void Find_without_a_marker_fails_with_CM0001_naming_the_start_directory_and_the_fix()
    {
        var start = _temp.Combine("project", "src");
        Directory.CreateDirectory(start);

        var e = Assert.Throws<ColdmodException>(() => RootMarker.Find(start));

        Assert.Equal(DiagnosticCodes.RootMarkerMissing, e.Code);
        Assert.Contains(start, e.Message, StringComparison.Ordinal);
        Assert.Contains("Create", e.Message, StringComparison.Ordinal);
        Assert.Contains(RootMarker.FileName, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_empty_marker_is_valid_and_ignores_nothing()
    {
        var root = Load("");

        Assert.Empty(root.IgnoreFiles);
        Assert.Empty(root.IgnoreKeys);
        Assert.False(root.IsIgnoredFile("src/Migrations/Initial.cs"));
    }

    [Fact]
    public void The_documented_example_loads_with_its_comments()
    {
        var root = Load("""
            # Coldmod configuration.
            [ignore]
            files = ["**/Migrations/**", "**/*.Designer.cs"]   # globs relative to the root
            keys = ["Shop.Legacy.Importer.Run"]                 # keys, exactly as above
            """);

        Assert.Equal(["**/Migrations/**", "**/*.Designer.cs"], root.IgnoreFiles);
        Assert.Equal(["Shop.Legacy.Importer.Run"], root.IgnoreKeys);
        Assert.Contains("Shop.Legacy.Importer.Run", root.IgnoredKeySet);
    }

    [Fact]
    public void Malformed_TOML_fails_with_CM0002_at_the_offending_token()
    {
        var path = _temp.Write("coldmod.rootmarker", """
            # Coldmod configuration.
            [ignore]
            files = ["**/Migrations/**"]
              keys = = "Shop.Legacy.Importer.Run"
            """);

        var e = Assert.Throws<ColdmodException>(() => RootMarker.Load(path));

        // The second '=' of line 4, after two spaces of indentation and "keys = ".
        Assert.Equal(DiagnosticCodes.RootMarkerMalformed, e.Code);
        Assert.Equal(path, e.File);
        Assert.Equal((4, 10), (e.Line, e.Column));
        Assert.StartsWith($"{path}(4,10): error CM0002: ", e.ToDiagnosticString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_left_open_fails_with_CM0002_where_the_next_token_begins()
    {
        var path = _temp.Write("coldmod.rootmarker", """
            [ignore]
            files = ["**/Migrations/**",
                     "**/*.Designer.cs"
            keys = []
            """);

        var e = Assert.Throws<ColdmodException>(() => RootMarker.Load(path));

        Assert.Equal(DiagnosticCodes.RootMarkerMalformed, e.Code);
        Assert.Equal((4, 1), (e.Line, e.Column));
    }

    [Fact]
    public void Files_that_is_not_an_array_fails_with_CM0002_at_the_entry()
    {
        var e = LoadFailing("""
            [ignore]
            files = "**/Migrations/**"
            """);

        Assert.Equal(DiagnosticCodes.RootMarkerMalformed, e.Code);
        Assert.Equal((2, 1), (e.Line, e.Column));
        Assert.Contains("ignore.files", e.Message, StringComparison.Ordinal);
        Assert.Contains("array", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keys = [\"Shop.Orders.OrderService.Cancel(System.Int32)\", 42]", 3, 58)]
    [InlineData("files = [\n    \"**/bin/**\",\n    true,\n]", 5, 5)]
    [InlineData("keys = [[\"nested\"]]", 3, 9)]
    public void An_item_that_is_not_a_string_fails_with_CM0002_at_the_item(string entry, int line, int column)
    {
        var e = LoadFailing("# Coldmod configuration.\n[ignore]\n" + entry + "\n");

        Assert.Equal(DiagnosticCodes.RootMarkerMalformed, e.Code);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Contains("only strings", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_table_fails_with_CM0003_naming_it()
    {
        var e = LoadFailing("""
            [ignore]
            files = []

            [ignored]
            keys = []
            """);

        Assert.Equal(DiagnosticCodes.RootMarkerUnknownEntry, e.Code);
        Assert.Equal((4, 1), (e.Line, e.Column));
        Assert.Contains("'ignored'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_fails_with_CM0003_naming_it()
    {
        var e = LoadFailing("""
            [ignore]
            files = []
            folders = ["bin"]
            """);

        Assert.Equal(DiagnosticCodes.RootMarkerUnknownEntry, e.Code);
        Assert.Equal((3, 1), (e.Line, e.Column));
        Assert.Contains("'folders'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_outside_the_ignore_table_fails_with_CM0003_naming_it()
    {
        var e = LoadFailing("""
            files = ["**/Migrations/**"]
            """);

        Assert.Equal(DiagnosticCodes.RootMarkerUnknownEntry, e.Code);
        Assert.Contains("'files'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("src/Migrations/20240101_Initial.cs", true)]
    [InlineData("src/Shop/Data/Migrations/Snapshots/Model.cs", true)]
    [InlineData("Migrations/Initial.cs", true)]
    [InlineData("src\\Migrations\\Initial.cs", true)]
    [InlineData("src/Ui/MainForm.Designer.cs", true)]
    [InlineData("MainForm.Designer.cs", true)]
    [InlineData("src/Migrations.cs", false)]
    [InlineData("src/MigrationsTool/Program.cs", false)]
    [InlineData("src/Ui/MainForm.cs", false)]
    public void Ignore_globs_match_relative_paths_at_any_depth(string relativePath, bool ignored)
    {
        var root = Load("""
            [ignore]
            files = ["**/Migrations/**", "**/*.Designer.cs"]
            """);

        Assert.Equal(ignored, root.IsIgnoredFile(relativePath));
    }

    [Fact]
    public void Paths_are_made_relative_to_the_root_with_slashes_or_rejected_when_outside()
    {
        var root = Load("");

        Assert.Equal("src/Shop/Orders.cs", root.ToRelativePath(_temp.Combine("src", "Shop", "Orders.cs")));
        Assert.Null(root.ToRelativePath(_temp.Path));
        Assert.Null(root.ToRelativePath(Path.Combine(Path.GetDirectoryName(_temp.Path)!, "elsewhere", "A.cs")));
        Assert.Null(root.ToRelativePath(_temp.Path + "-sibling/A.cs"));
    }

    private RootMarker Load(string toml) => RootMarker.Load(_temp.Write("coldmod.rootmarker", toml));

    private ColdmodException LoadFailing(string toml)
    {
        var path = _temp.Write("coldmod.rootmarker", toml);
        var e = Assert.Throws<ColdmodException>(() => RootMarker.Load(path));
        Assert.Equal(path, e.File);
        return e;
    }
}
