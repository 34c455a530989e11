using Coldmod.Runtime.Internal;
using Coldmod.Runtime.Internal.Sending;
using Coldmod.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Coldmod.Sender.Tests;

/// <summary>Srcs tables read from assembly files on disk (the app's directory, for Set), never loading them.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class AppSrcsFileTests : IDisposable
{
    private readonly TempDirectory _directory = new("coldmod-appsrcs");

    [Fact]
    public void A_compact_table_is_read_from_the_file_field_for_field()
    {
        SrcEntry[] entries =
        [
            new("Plugin.Job.Run(System.Threading.CancellationToken)", "src/Job.cs", 12, "hosted service"),
            new("Plugin.Job.Run(System.Threading.CancellationToken)=>0", "src/Job.cs", 14),
        ];
        using var table = new MemoryStream();
        new SrcsTable(entries).WriteTo(table);

        var read = AppSrcs.TryReadFile(Emit("Plugin", table.ToArray()));

        Assert.NotNull(read);
        Assert.Equal(entries, read.Entries);
    }

    [Fact]
    public void A_table_of_a_newer_format_is_reported_with_the_file_and_what_to_do_and_nothing_throws()
    {
        var path = Emit("Newer", [SrcsTable.Format + 1, 0x63, 0x00]);
        using var stderr = new StderrCapture();

        var srcs = AppSrcs.Collect([], _directory.Path);

        Assert.Empty(srcs);
        Assert.Equal(
            "coldmod: the srcs of Newer.dll cannot be read (Coldmod.Srcs table format 4 is newer than this Coldmod.Runtime reads "
            + "(formats 1 to 3): the assembly was woven by a newer Coldmod. Reference the Coldmod package version that wove it "
            + "(or newer) from the app.); its keys are not sent.",
            Assert.Single(stderr.Lines));
        Assert.True(File.Exists(path));
    }

    public void Dispose() => _directory.Dispose();

    // An assembly carrying the given bytes as its Coldmod.Srcs resource, as a woven one carries its table.
    private string Emit(string name, byte[] srcs)
    {
        var compilation = CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText("public static class Marker { }")],
            TestCompilation.FrameworkReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = _directory.Combine(name + ".dll");
        using var pe = File.Create(path);
        var resource = new ResourceDescription(SrcsTable.ResourceName, () => new MemoryStream(srcs), isPublic: false);
        var result = compilation.Emit(pe, manifestResources: [resource]);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        return path;
    }
}
