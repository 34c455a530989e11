using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using System.Security.Cryptography;
using Coldmod.TestSupport;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>
/// A strong-named assembly keeps its identity through weaving: with the project's key it is signed
/// again (a new signature over the woven image); without it, it keeps its public key and still loads,
/// since .NET does not check strong-name signatures.
/// </summary>
public sealed class StrongNameTests : IDisposable
{
    private readonly TempDirectory _temp = new("coldmod-sign");
    private readonly string _keyFile;
    private readonly string _unwoven;
    private readonly RootMarker _root;

    public StrongNameTests()
    {
        using (var rsa = new RSACryptoServiceProvider(1024))
        {
            _keyFile = _temp.Combine("key.snk");
            File.WriteAllBytes(_keyFile, rsa.ExportCspBlob(includePrivateParameters: true));
        }

        var source = _temp.Write("root/src/Signed.cs", "namespace Signed; public static class Api { public static int Twice(int x) => x * 2; }");
        _temp.Write("root/coldmod.rootmarker", "");
        _root = RootMarker.Load(_temp.Combine("root", RootMarker.FileName));
        _unwoven = TestCompilation.Compile("Signed", [new SourceInput(source)], _temp.Combine("root", "bin"), optimize: true, strongNameKeyFile: _keyFile).AssemblyPath;
    }

    [Fact]
    public void Weaving_with_the_key_file_signs_the_woven_image_and_keeps_the_identity()
    {
        var withKey = Weave("with-key", _keyFile);
        var withoutKey = Weave("without-key", keyFile: null);

        Assert.True(HasStrongNameFlag(withKey));
        Assert.Equal(AssemblyName.GetAssemblyName(_unwoven).FullName, AssemblyName.GetAssemblyName(withKey).FullName);
        var signature = Signature(withKey);
        Assert.Contains(signature, b => b != 0);
        Assert.NotEqual(Signature(_unwoven), signature);
        Assert.NotEqual(Signature(withoutKey), signature);
        Assert.Equal(42, Run(withKey));
    }

    [Fact]
    public void Weaving_without_the_key_keeps_the_public_key_and_the_assembly_loads_and_runs()
    {
        var woven = Weave("public", keyFile: null);

        Assert.Equal(AssemblyName.GetAssemblyName(_unwoven).GetPublicKey(), AssemblyName.GetAssemblyName(woven).GetPublicKey());
        Assert.Equal(42, Run(woven));
    }

    public void Dispose() => _temp.Dispose();

    private string Weave(string name, string? keyFile)
    {
        var path = _temp.Combine(name, "Signed.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(_unwoven, path);
        File.Copy(Path.ChangeExtension(_unwoven, ".pdb"), Path.ChangeExtension(path, ".pdb"));
        var result = AssemblyWeaver.Weave(new WeaveOptions(path, _root, WovenCorpusFixture.RuntimeAssemblyPath) { StrongNameKeyFile = keyFile });
        Assert.Equal(WeaveOutcome.Woven, result.Outcome);
        return path;
    }

    private static bool HasStrongNameFlag(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return pe.PEHeaders.CorHeader!.Flags.HasFlag(CorFlags.StrongNameSigned);
    }

    private static byte[] Signature(string path)
    {
        var image = File.ReadAllBytes(path);
        using var pe = new PEReader(new MemoryStream(image));
        var directory = pe.PEHeaders.CorHeader!.StrongNameSignatureDirectory;
        Assert.True(pe.PEHeaders.TryGetDirectoryOffset(directory, out var offset));
        return image.AsSpan(offset, directory.Size).ToArray();
    }

    private static object? Run(string path)
    {
        var context = new AssemblyLoadContext(path, isCollectible: true);
        try
        {
            var api = context.LoadFromAssemblyPath(path).GetType("Signed.Api")!;
            return api.GetMethod("Twice")!.Invoke(null, [21]);
        }
        finally
        {
            context.Unload();
        }
    }
}
