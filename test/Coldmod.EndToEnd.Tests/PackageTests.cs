using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class PackageTests(PackagedColdmod coldmod)
{
    private const string Tasks = "tasks/net10.0/";

    [Fact]
    public void The_Coldmod_package_holds_the_targets_the_task_with_its_dependencies_and_the_runtime_for_net8_0_and_netstandard2_0_with_only_their_dependencies()
    {
        using var package = ZipFile.OpenRead(coldmod.CoreNupkg);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        string[] expected =
        [
            "build/Coldmod.props",
            "build/Coldmod.targets",
            "lib/net8.0/Coldmod.Runtime.dll",
            "lib/netstandard2.0/Coldmod.Runtime.dll",
            Tasks + "Coldmod.Tasks.dll",
            Tasks + "Coldmod.Tasks.Isolated.dll",
            Tasks + "Coldmod.Weaver.dll",
            Tasks + "Coldmod.Runtime.dll",
            Tasks + "Mono.Cecil.dll",
            Tasks + "Tomlyn.dll",
            Tasks + "Microsoft.Extensions.FileSystemGlobbing.dll",
        ];
        Assert.All(expected, e => Assert.Contains(e, entries));
        Assert.DoesNotContain(entries, e => e.StartsWith(Tasks + "Microsoft.Build", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal)
            && !e.StartsWith("lib/net8.0/Coldmod.Runtime.", StringComparison.Ordinal)
            && !e.StartsWith("lib/netstandard2.0/Coldmod.Runtime.", StringComparison.Ordinal));

        using var nuspec = package.GetEntry("Coldmod.nuspec")!.Open();
        var groups = XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "group")
            .ToDictionary(g => g.Attribute("targetFramework")!.Value, g => g.Elements().Select(d => d.Attribute("id")!.Value).Order(StringComparer.Ordinal).ToList());
        Assert.Equal([".NETStandard2.0", "net8.0"], groups.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Google.Protobuf", "Grpc.Net.Client"], groups["net8.0"]);
        // What netstandard2.0 lacks of .NET's own libraries; the polyfills are compiled in, not a dependency.
        Assert.Equal(["Google.Protobuf", "Grpc.Net.Client", "System.Reflection.Metadata", "System.Text.Json"], groups[".NETStandard2.0"]);
    }

    [Fact]
    public void The_task_assembly_does_not_reference_the_weaver_or_Cecil_which_load_only_in_its_isolated_context()
    {
        using var package = ZipFile.OpenRead(coldmod.CoreNupkg);
        using var image = new MemoryStream();
        using (var task = package.GetEntry(Tasks + "Coldmod.Tasks.dll")!.Open())
        {
            task.CopyTo(image);
        }

        image.Position = 0;
        var references = AssemblyInspector.ReferencedAssemblies(image);
        Assert.Contains("Microsoft.Build.Utilities.Core", references);
        Assert.DoesNotContain(references, r => r.StartsWith("Mono.Cecil", StringComparison.Ordinal) || r.StartsWith("Coldmod.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_task_loads_the_weaver_and_Cecil_from_bytes_into_its_own_load_context()
    {
        var shop = coldmod.CreateShop("isolation");

        // Detailed verbosity logs every assembly a task loads, with its location and load context.
        var build = (await shop.BuildAsync("-v:detailed")).EnsureSuccess();

        foreach (var assembly in new[] { "Coldmod.Tasks.Isolated", "Coldmod.Weaver", "Mono.Cecil" })
        {
            Assert.Matches(
                $@"Assembly loaded during TaskRun \(Coldmod\.Tasks\.ColdmodWeave\): {Regex.Escape(assembly)}, .*\(location: , MVID: [^,]+, AssemblyLoadContext: Coldmod\.Weaver\)",
                build.Output);
        }
    }
}
