using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Coldmod.TestSupport;

/// <summary>A source file to compile: where it is on disk, and the path the PDB should record for it.</summary>
/// <param name="DiskPath">The file's full path; its text is read from here.</param>
/// <param name="PdbPath">The document path written into the PDB: the disk path, or a mapped one such as <c>/_/src/A.cs</c>.</param>
public sealed record SourceInput(string DiskPath, string? PdbPath = null);

/// <summary>An assembly compiled by a test, with the compilation that made it (the key oracle's symbols).</summary>
public sealed record CompiledAssembly(string AssemblyPath, string? PdbPath, CSharpCompilation Compilation);

/// <summary>What a build adds to the PDB beyond the compiled sources.</summary>
/// <param name="EmbeddedTexts">Sources embedded in the PDB, as <c>EmbedUntrackedSources</c> or <c>EmbedAllSources</c> do.</param>
/// <param name="SourceLink">The Source Link JSON the build writes into the PDB.</param>
/// <param name="PdbPathInImage">The PDB path the assembly's CodeView entry records (a PathMap'd build records <c>/_/…</c>).</param>
public sealed record PdbExtras(IReadOnlyList<EmbeddedText>? EmbeddedTexts = null, string? SourceLink = null, string? PdbPathInImage = null);

/// <summary>Compiles C# sources with Roslyn into an assembly with a portable PDB, as a real build would.</summary>
public static class TestCompilation
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_frameworkReferences = new(LoadFrameworkReferences);

    /// <summary>The assemblies of the running .NET runtime, as metadata references.</summary>
    public static ImmutableArray<MetadataReference> FrameworkReferences => s_frameworkReferences.Value;

    /// <summary>
    /// Compiles <paramref name="sources"/> into <c>outputDirectory/assemblyName.dll</c> and a portable PDB beside it
    /// (or embedded when <paramref name="embedPdb"/>); an executable <paramref name="outputKind"/> still gets the .dll name, as
    /// the SDK names an app. Throws with the compiler's errors when it does not compile.
    /// </summary>
    public static CompiledAssembly Compile(
        string assemblyName,
        IEnumerable<SourceInput> sources,
        string outputDirectory,
        bool optimize,
        bool embedPdb = false,
        IEnumerable<MetadataReference>? references = null,
        string? strongNameKeyFile = null,
        PdbExtras? pdbExtras = null,
        OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        var trees = sources
            .Select(s => CSharpSyntaxTree.ParseText(
                File.ReadAllText(s.DiskPath),
                new CSharpParseOptions(LanguageVersion.Preview),
                path: s.PdbPath ?? s.DiskPath,
                encoding: System.Text.Encoding.UTF8))
            .ToList();

        var options = new CSharpCompilationOptions(
                outputKind,
                optimizationLevel: optimize ? OptimizationLevel.Release : OptimizationLevel.Debug,
                allowUnsafe: true,
                deterministic: true,
                nullableContextOptions: NullableContextOptions.Enable,
                cryptoKeyFile: strongNameKeyFile,
                publicSign: false)
            .WithStrongNameProvider(strongNameKeyFile is null ? null : new DesktopStrongNameProvider());

        var compilation = CSharpCompilation.Create(
            assemblyName,
            trees,
            FrameworkReferences.AddRange(references ?? []),
            options);

        Directory.CreateDirectory(outputDirectory);
        var assemblyPath = Path.Combine(outputDirectory, assemblyName + ".dll");
        var pdbPath = embedPdb ? null : Path.Combine(outputDirectory, assemblyName + ".pdb");
        var emitOptions = new EmitOptions(
            debugInformationFormat: embedPdb ? DebugInformationFormat.Embedded : DebugInformationFormat.PortablePdb,
            pdbFilePath: pdbExtras?.PdbPathInImage ?? pdbPath);

        EmitResult result;
        using (var peStream = File.Create(assemblyPath))
        using (var pdbStream = pdbPath is null ? null : File.Create(pdbPath))
        using (var sourceLink = pdbExtras?.SourceLink is null ? null : new MemoryStream(System.Text.Encoding.UTF8.GetBytes(pdbExtras.SourceLink)))
        {
            result = compilation.Emit(peStream, pdbStream, options: emitOptions, sourceLinkStream: sourceLink, embeddedTexts: pdbExtras?.EmbeddedTexts);
        }

        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
            throw new InvalidOperationException($"Test source does not compile:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        }

        return new CompiledAssembly(assemblyPath, pdbPath, compilation);
    }

    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) ||
                        Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.CSharp.dll");
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
