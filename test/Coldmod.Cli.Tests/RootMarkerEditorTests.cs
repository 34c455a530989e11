using Coldmod.Weaver;

namespace Coldmod.Cli.Tests;

public sealed class RootMarkerEditorTests
{
    [Theory]
    [InlineData("", "[ignore]\nkeys = [\"A.B\", \"C.D\"]\n")]
    [InlineData("\n", "\n[ignore]\nkeys = [\"A.B\", \"C.D\"]\n")]
    [InlineData("# only a comment", "# only a comment\n\n[ignore]\nkeys = [\"A.B\", \"C.D\"]\n")]
    [InlineData("# a comment\n\n", "# a comment\n\n[ignore]\nkeys = [\"A.B\", \"C.D\"]\n")]
    public void Without_an_ignore_table_one_is_appended(string text, string expected)
    {
        var edit = RootMarkerEditor.AddIgnoreKeys(text, ["A.B", "C.D"]);

        Assert.Equal(expected, edit.Text);
        Assert.Equal(["A.B", "C.D"], edit.Added);
    }

    [Theory]
    [InlineData("[ignore]\n", "[ignore]\nkeys = [\"A.B\"]\n")]
    [InlineData("[ignore]", "[ignore]\nkeys = [\"A.B\"]\n")]
    [InlineData("[ignore] # why\n# below\n", "[ignore] # why\nkeys = [\"A.B\"]\n# below\n")]
    [InlineData(
        "# top\n[ignore]\nfiles = [\"**/X.cs\"] # generated\n\n# end\n",
        "# top\n[ignore]\nfiles = [\"**/X.cs\"] # generated\nkeys = [\"A.B\"]\n\n# end\n")]
    [InlineData("[ignore]\nfiles = []", "[ignore]\nfiles = []\nkeys = [\"A.B\"]\n")]
    public void Without_a_keys_array_one_is_added_to_the_table(string text, string expected)
    {
        Assert.Equal(expected, RootMarkerEditor.AddIgnoreKeys(text, ["A.B"]).Text);
    }

    [Theory]
    [InlineData("[ignore]\nkeys = []\n", "[ignore]\nkeys = [\"A.B\", \"C.D\"]\n")]
    [InlineData("[ignore]\nkeys = [ ] # none yet\n", "[ignore]\nkeys = [\"A.B\", \"C.D\"] # none yet\n")]
    [InlineData("[ignore]\nkeys = [\"X.Y\"]  # old\n", "[ignore]\nkeys = [\"X.Y\", \"A.B\", \"C.D\"]  # old\n")]
    [InlineData("[ignore]\nkeys = [ \"X.Y\", ]\n", "[ignore]\nkeys = [ \"X.Y\", \"A.B\", \"C.D\", ]\n")]
    [InlineData("[ignore]\r\nkeys = ['X.Y']\r\n", "[ignore]\r\nkeys = ['X.Y', \"A.B\", \"C.D\"]\r\n")]
    public void An_inline_array_grows_on_its_line(string text, string expected)
    {
        Assert.Equal(expected, RootMarkerEditor.AddIgnoreKeys(text, ["A.B", "C.D"]).Text);
    }

    [Theory]
    [InlineData(
        "[ignore]\nkeys = [\n  \"X.Y\", # legacy\n  # spare\n]\n",
        "[ignore]\nkeys = [\n  \"X.Y\", # legacy\n  \"A.B\",\n  \"C.D\",\n  # spare\n]\n")]
    [InlineData(
        "[ignore]\nkeys = [\n\t\"X.Y\"\n]\n",
        "[ignore]\nkeys = [\n\t\"X.Y\",\n\t\"A.B\",\n\t\"C.D\"\n]\n")]
    [InlineData(
        "[ignore]\nkeys = [\n    \"X.Y\",\n    \"Z\"]\n",
        "[ignore]\nkeys = [\n    \"X.Y\",\n    \"Z\",\n    \"A.B\",\n    \"C.D\"]\n")]
    [InlineData(
        "[ignore]\nkeys = [ # ignored on purpose\n]\n",
        "[ignore]\nkeys = [ # ignored on purpose\n    \"A.B\",\n    \"C.D\",\n]\n")]
    [InlineData(
        "[ignore]\r\nkeys = [\r\n  \"X.Y\",\r\n]\r\n",
        "[ignore]\r\nkeys = [\r\n  \"X.Y\",\r\n  \"A.B\",\r\n  \"C.D\",\r\n]\r\n")]
    public void A_multi_line_array_gets_one_key_per_line_in_its_style(string text, string expected)
    {
        Assert.Equal(expected, RootMarkerEditor.AddIgnoreKeys(text, ["A.B", "C.D"]).Text);
    }

    [Fact]
    public void Keys_already_listed_or_given_twice_are_added_once()
    {
        var edit = RootMarkerEditor.AddIgnoreKeys("[ignore]\nkeys = [\"A.B\"]\n", ["A.B", " C.D ", "C.D"]);

        Assert.Equal("[ignore]\nkeys = [\"A.B\", \"C.D\"]\n", edit.Text);
        Assert.Equal(["C.D"], edit.Added);
        Assert.Equal(["A.B"], edit.AlreadyPresent);
    }

    [Fact]
    public void Nothing_new_leaves_the_text_untouched()
    {
        const string text = "[ignore] # x\nkeys = [ 'A.B' ]";

        var edit = RootMarkerEditor.AddIgnoreKeys(text, ["A.B"]);

        Assert.Same(text, edit.Text);
        Assert.Empty(edit.Added);
    }

    [Fact]
    public void Quotes_and_backslashes_are_escaped_and_read_back()
    {
        var edit = RootMarkerEditor.AddIgnoreKeys("", ["N.C`1.M(\"x\\y\")"]);
        var marker = WriteAndLoad(edit.Text);

        Assert.Equal(["N.C`1.M(\"x\\y\")"], marker.IgnoreKeys);
    }

    [Fact]
    public void Every_edit_still_parses_with_the_keys_in_order()
    {
        const string text = "# c1\n[ignore] # c2\n# c3\nfiles = [\n  \"**/Migrations/**\", # c4\n]\nkeys = [\n  \"X.Y\", # c5\n] # c6\n# c7\n";

        var marker = WriteAndLoad(RootMarkerEditor.AddIgnoreKeys(text, ["A.B", "C.D"]).Text);

        Assert.Equal(["X.Y", "A.B", "C.D"], marker.IgnoreKeys);
        Assert.Equal(["**/Migrations/**"], marker.IgnoreFiles);
    }

    [Fact]
    public void A_malformed_marker_is_reported_not_edited()
    {
        var error = Assert.Throws<ColdmodException>(() => RootMarkerEditor.AddIgnoreKeys("[ignore]\nkeys = 3\n", ["A.B"], "/r/coldmod.rootmarker"));

        Assert.Equal("/r/coldmod.rootmarker", error.File);
    }

    private static RootMarker WriteAndLoad(string text)
    {
        using var directory = new Coldmod.TestSupport.TempDirectory("coldmod-editor");
        return RootMarker.Load(directory.Write(RootMarker.FileName, text));
    }
}
