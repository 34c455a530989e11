using Coldmod.Runtime;
using Coldmod.Runtime.Internal;
using Coldmod.TestSupport;
using Coldmod.Weaver.Tests.Scanning;
using Coldmod.Weaver.Weaving;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>
/// The repository's samples (samples/Shop, samples/TodoApi), compiled with Roslyn as the SDK would (implicit usings,
/// Release, an app) and woven: the srcs table read back from the woven file equals what the weaver found, field for
/// field, labels included.
/// </summary>
public sealed class SampleSrcsTableTests(ITestOutputHelper output) : IDisposable
{
    private const string SdkUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private const string WebSdkUsings = """
        global using System.Net.Http.Json;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    private readonly TempDirectory _workspace = new("coldmod-samples");

    [Theory]
    [InlineData("Shop", false)]
    [InlineData("TodoApi", true)]
    public void The_woven_samples_table_reads_back_every_field_it_was_written_with(string sample, bool web)
    {
        var root = Path.Combine(_workspace.Path, sample);
        CopyDirectory(Path.Combine(RepositoryRoot(), "samples", sample), root);
        var usings = _workspace.Combine($"{sample}.GlobalUsings.g.cs");
        File.WriteAllText(usings, web ? SdkUsings + "\n" + WebSdkUsings : SdkUsings);
        var sources = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => new SourceInput(f)).Append(new SourceInput(usings));
        IEnumerable<MetadataReference> references = [MetadataReference.CreateFromFile(typeof(ColdmodModules).Assembly.Location)];
        var compiled = TestCompilation.Compile(
            sample, sources, _workspace.Combine("bin", sample), optimize: true,
            references: web ? references.Concat(EntryPointLabelTests.AspNetCoreReferences()) : references,
            outputKind: OutputKind.ConsoleApplication);

        var result = AssemblyWeaver.Weave(new WeaveOptions(compiled.AssemblyPath, RootMarker.Load(Path.Combine(root, RootMarker.FileName)), WovenCorpusFixture.RuntimeAssemblyPath));

        var content = WovenSrcsResource.Read(compiled.AssemblyPath);
        output.WriteLine($"{sample}: {result.Srcs.Count} srcs, table {content.Length} bytes ({(double)content.Length / result.Srcs.Count:F1} a src)");
        Assert.True(result.Srcs.Count > 15, $"{sample} has only {result.Srcs.Count} srcs");
        Assert.Equal(web, result.Srcs.Any(s => s.Label is not null));
        Assert.Equal(result.Srcs.Select(s => new SrcEntry(s.Key, s.File, s.Line, s.Label)), SrcsTable.Read(content).Entries);
    }

    public void Dispose() => _workspace.Dispose();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Coldmod.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Coldmod.sln above {AppContext.BaseDirectory}.");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
