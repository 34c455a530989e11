using System.Xml.Linq;
using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class OptInTests(PackagedColdmod coldmod)
{
    // A CI build maps source paths to /_/, so two directories compile to the same bytes.
    private const string Deterministic = "-p:ContinuousIntegrationBuild=true";

    [Fact]
    public async Task Without_ColdmodWeave_the_compiled_assembly_is_byte_identical_to_one_built_without_the_package()
    {
        var referenced = coldmod.CreateShop("package-not-weaving");
        referenced.EditProject(RemoveColdmodWeave);
        var unreferenced = coldmod.CreateShop("no-package");
        unreferenced.EditProject(project =>
        {
            RemoveColdmodWeave(project);
            project.Descendants("PackageReference").Single(r => (string?)r.Attribute("Include") == "Coldmod").Remove();
        });

        var withPackage = (await referenced.BuildAsync(Deterministic)).EnsureSuccess();
        (await unreferenced.BuildAsync(Deterministic)).EnsureSuccess();

        Assert.DoesNotContain("Coldmod:", withPackage.Output, StringComparison.Ordinal);
        Assert.Equal(0, AssemblyInspector.CountProbeTypes(referenced.OutputAssembly));
        using (var assembly = File.OpenRead(referenced.OutputAssembly))
        {
            Assert.DoesNotContain("Coldmod.Runtime", AssemblyInspector.ReferencedAssemblies(assembly));
        }

        // The portable PDB records every reference the compiler was given (for rebuilding from it), so the package's
        // Coldmod.Runtime changes the PDB and the IDs hashed from it (MVID, PE timestamp, PDB id). Without a PDB,
        // the assembly holds the compiled code alone, and that must be exactly what the compiler made of the sources.
        (await referenced.BuildAsync(Deterministic, "-p:DebugType=none", "--no-incremental")).EnsureSuccess();
        (await unreferenced.BuildAsync(Deterministic, "-p:DebugType=none", "--no-incremental")).EnsureSuccess();

        Assert.Equal(File.ReadAllBytes(unreferenced.OutputAssembly), File.ReadAllBytes(referenced.OutputAssembly));
    }

    private static void RemoveColdmodWeave(XDocument project) => project.Descendants("ColdmodWeave").Single().Remove();
}
