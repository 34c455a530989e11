using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Xml.Linq;
using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class SigningTests(PackagedColdmod coldmod)
{
    [Fact]
    public async Task A_strong_named_assembly_is_woven_and_signed_again_with_its_key()
    {
        var shop = coldmod.CreateShop("signed");
        var key = Path.Combine(shop.ProjectDirectory, "shop.snk");
        using (var rsa = new RSACryptoServiceProvider(2048))
        {
            // A .snk file is the key pair as a CAPI private key blob.
            File.WriteAllBytes(key, rsa.ExportCspBlob(includePrivateParameters: true));
        }

        shop.EditProject(project =>
        {
            var properties = project.Descendants("PropertyGroup").First();
            properties.Add(new XElement("SignAssembly", "true"), new XElement("AssemblyOriginatorKeyFile", "shop.snk"));
        });

        // Diagnostic verbosity logs the parameters each task was given: the weaver must get the key, as a full path.
        var build = (await shop.BuildAsync("-v:diag")).EnsureSuccess();

        Assert.Contains(ShopExpectations.WoveMessage(ShopExpectations.SrcCount), build.Output, StringComparison.Ordinal);
        Assert.Contains($"Task Parameter:StrongNameKeyFile={key}", build.Output, StringComparison.Ordinal);
        using (var pe = new PEReader(File.OpenRead(shop.OutputAssembly)))
        {
            var header = pe.PEHeaders.CorHeader!;
            Assert.True(header.Flags.HasFlag(CorFlags.StrongNameSigned));
            var metadata = pe.GetMetadataReader();
            Assert.NotEmpty(metadata.GetBlobBytes(metadata.GetAssemblyDefinition().PublicKey));
        }

        var (run, heatmap) = await shop.RunAsync(shop.OutputAssembly);

        HeatmapAssert.CountsOfOneRun(run, heatmap);
    }
}
