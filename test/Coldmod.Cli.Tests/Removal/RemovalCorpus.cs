using Coldmod.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Coldmod.Cli.Tests.Removal;

/// <summary>
/// The corpus of Removal/Corpus compiled once, as `dotnet build -c Release` would (SHA-256 checksums of the files'
/// bytes, RELEASE defined, a deterministic /_/ path map), into a template checkout; each test edits its own copy.
/// </summary>
public sealed class RemovalCorpus : IDisposable
{
    public const string SourceRoot = "/_/";
    public const string OutputDirectory = "src/bin/Release/net10.0";

    private static readonly string[] s_symbols = ["RELEASE", "NET", "NET10_0"];

    private readonly TempDirectory _template = new("coldmod-rm-template");

    public RemovalCorpus()
    {
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Removal", "Corpus"), _template.Combine("src"));
        File.Delete(_template.Combine("src", ".editorconfig"));
        _template.Write("coldmod.rootmarker", "");
        Warnings = Compile(_template.Path);
    }

    /// <summary>The compiler's warnings on the unedited corpus, as "ID: message" lines.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>A fresh copy of the built checkout.</summary>
    public TempDirectory NewCheckout()
    {
        var checkout = new TempDirectory("coldmod-rm");
        CopyDirectory(_template.Path, checkout.Path);
        return checkout;
    }

    /// <summary>A file of the unedited template.</summary>
    public string NewCheckoutPath(string relativePath) => _template.Combine(relativePath.Split('/'));

    /// <summary>
    /// Compiles every .cs file under ROOT/src into ROOT/src/bin/Release/net10.0/Shop.dll with a portable PDB, and
    /// returns the warnings; throws with the errors when it does not compile.
    /// </summary>
    public static IReadOnlyList<string> Compile(string root)
    {
        var sourceDirectory = Path.Combine(root, "src");
        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: s_symbols);
        var trees = Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                using var stream = File.OpenRead(path);
                var text = SourceText.From(stream, checksumAlgorithm: SourceHashAlgorithm.Sha256);
                var mapped = SourceRoot + Path.GetRelativePath(root, path).Replace('\\', '/');
                return CSharpSyntaxTree.ParseText(text, parseOptions, mapped);
            })
            .ToList();

        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release,
            nullableContextOptions: NullableContextOptions.Enable,
            deterministic: true);
        var compilation = CSharpCompilation.Create("Shop", trees, TestCompilation.FrameworkReferences, options);

        var output = Path.Combine(root, OutputDirectory.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(output);
        EmitResult result;
        using (var pe = File.Create(Path.Combine(output, "Shop.dll")))
        using (var pdb = File.Create(Path.Combine(output, "Shop.pdb")))
        {
            result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb, pdbFilePath: "Shop.pdb"));
        }

        if (!result.Success)
        {
            throw new InvalidOperationException("The corpus does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return [.. result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).Select(d => $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal)];
    }

    public void Dispose() => _template.Dispose();

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var child in Directory.EnumerateDirectories(source))
        {
            CopyDirectory(child, Path.Combine(destination, Path.GetFileName(child)));
        }
    }
}
