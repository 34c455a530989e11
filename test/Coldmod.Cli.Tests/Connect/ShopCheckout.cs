using Coldmod.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Coldmod.Cli.Tests.Connect;

/// <summary>
/// samples/Shop as `dotnet build -c Release` leaves it (without Coldmod's package: the CLI reads the PDB, not the
/// probes), compiled once with Roslyn into a template: SHA-256 checksums of the files' bytes, the SDK's implicit usings
/// in obj/, deterministic /_/ paths, so each test's copy of the template reads as a checkout of its own.
/// </summary>
public sealed class ShopCheckout : IDisposable
{
    public const string OutputDirectory = "bin/Release/net10.0";

    private static readonly string[] s_implicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private readonly TempDirectory _template = new("coldmod-connect-shop");

    public ShopCheckout()
    {
        var sample = Path.Combine(RepositoryRoot(), "samples", "Shop");
        foreach (var file in Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sample, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) ||
                relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative == "StartTracing.cs")
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(_template.Combine(relative))!);
            File.Copy(file, _template.Combine(relative));
        }

        _template.Write("obj/Release/net10.0/Shop.GlobalUsings.g.cs", string.Concat(s_implicitUsings.Select(u => $"global using global::{u};\n")));
        Build(_template.Path);
    }

    /// <summary>A fresh copy of the built checkout, for one test to change.</summary>
    public TempDirectory NewCopy()
    {
        var copy = new TempDirectory("coldmod-connect");
        foreach (var file in Directory.EnumerateFiles(_template.Path, "*", SearchOption.AllDirectories))
        {
            var target = copy.Combine(Path.GetRelativePath(_template.Path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    public void Dispose() => _template.Dispose();

    // Every .cs file under the root except bin/, as the SDK compiles a project; the app is Shop.dll with Shop.pdb.
    public static void Build(string root)
    {
        var trees = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !Path.GetRelativePath(root, p).StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                using var stream = File.OpenRead(path);
                var text = SourceText.From(stream, checksumAlgorithm: SourceHashAlgorithm.Sha256);
                return CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview), "/_/" + Path.GetRelativePath(root, path).Replace('\\', '/'));
            })
            .ToList();
        var options = new CSharpCompilationOptions(
            OutputKind.ConsoleApplication,
            optimizationLevel: OptimizationLevel.Release,
            nullableContextOptions: NullableContextOptions.Enable,
            deterministic: true);
        var compilation = CSharpCompilation.Create("Shop", trees, TestCompilation.FrameworkReferences, options);
        var output = Path.Combine(root, OutputDirectory);
        Directory.CreateDirectory(output);
        EmitResult result;
        using (var pe = File.Create(Path.Combine(output, "Shop.dll")))
        using (var pdb = File.Create(Path.Combine(output, "Shop.pdb")))
        {
            result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb, pdbFilePath: "Shop.pdb"));
        }

        if (!result.Success)
        {
            throw new InvalidOperationException("samples/Shop does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Coldmod.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Coldmod.sln above {AppContext.BaseDirectory}");
    }
}
