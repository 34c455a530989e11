using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Coldmod.Runtime;
using Coldmod.Runtime.Internal;
using Coldmod.TestSupport;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>
/// Compiles the weaving corpus once, keeps an unwoven copy and weaves another, and loads both into
/// their own collectible load contexts so tests can run the same code woven and unwoven side by side.
/// </summary>
public abstract class WovenCorpusFixture : IDisposable
{
    private readonly TempDirectory _temp = new("coldmod-weave");
    private readonly AssemblyLoadContext _unwovenContext = new("unwoven", isCollectible: true);
    private readonly AssemblyLoadContext _wovenContext = new("woven", isCollectible: true);

    // Exact counting unless a fixture says otherwise: the behaviour tests count every call of methods called millions of times.
    private protected WovenCorpusFixture(bool optimize, string assemblyName, CountingSettings? counting = null)
    {
        Optimize = optimize;
        RootDirectory = _temp.Combine("root");
        Directory.CreateDirectory(RootDirectory);
        File.WriteAllText(Path.Combine(RootDirectory, RootMarker.FileName), "[ignore]\nfiles = []\n");
        Root = RootMarker.Load(Path.Combine(RootDirectory, RootMarker.FileName));

        var corpus = Path.Combine(AppContext.BaseDirectory, "Weaving", "Corpus");
        var sources = new List<SourceInput>();
        foreach (var file in Directory.GetFiles(corpus, "*.cs"))
        {
            var copy = Path.Combine(RootDirectory, "src", Path.GetFileName(file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
            sources.Add(new SourceInput(copy));
        }

        var unwovenDirectory = Path.Combine(RootDirectory, "bin", "unwoven");
        var compiled = TestCompilation.Compile(assemblyName, sources, unwovenDirectory, optimize);
        UnwovenPath = compiled.AssemblyPath;

        var wovenDirectory = Path.Combine(RootDirectory, "bin", "woven");
        Directory.CreateDirectory(wovenDirectory);
        WovenPath = Path.Combine(wovenDirectory, Path.GetFileName(UnwovenPath));
        File.Copy(UnwovenPath, WovenPath);
        File.Copy(Path.ChangeExtension(UnwovenPath, ".pdb"), Path.ChangeExtension(WovenPath, ".pdb"));
        Result = AssemblyWeaver.Weave(new WeaveOptions(WovenPath, Root, RuntimeAssemblyPath));

        Unwoven = _unwovenContext.LoadFromAssemblyPath(UnwovenPath);
        Woven = _wovenContext.LoadFromAssemblyPath(WovenPath);

        // A module initializer runs when the module is first used; run it now so counts can be read before that.
        // It registers the module on this thread, with the counting settings chosen for this thread.
        CountingSettings.ForThisThread = counting ?? CountingSettings.Exact;
        try
        {
            RuntimeHelpers.RunModuleConstructor(Woven.ManifestModule.ModuleHandle);
        }
        finally
        {
            CountingSettings.ForThisThread = null;
        }
    }

    public static string RuntimeAssemblyPath => typeof(ColdmodModules).Assembly.Location;

    public bool Optimize { get; }

    public string RootDirectory { get; }

    public RootMarker Root { get; }

    public string UnwovenPath { get; }

    public string WovenPath { get; }

    public WeaveResult Result { get; }

    public Assembly Unwoven { get; }

    public Assembly Woven { get; }

    /// <summary>Runs <paramref name="action"/> and returns the calls counted while it ran, by key.</summary>
    public IReadOnlyDictionary<string, long> CountCalls(Action action)
    {
        var module = ColdmodModules.Find(Woven) ?? throw new InvalidOperationException("The woven corpus did not register with Coldmod.Runtime.");
        module.Drain();
        action();
        return module.Drain().GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.Sum(h => h.Count));
    }

    public void Dispose()
    {
        _unwovenContext.Unload();
        _wovenContext.Unload();
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class ReleaseCorpus() : WovenCorpusFixture(optimize: true, "Woven.Corpus.Release");

public sealed class DebugCorpus() : WovenCorpusFixture(optimize: false, "Woven.Corpus.Debug");

/// <summary>The Release corpus counting as an app does by default, exactly up to a bound of 64 calls, but with no sampling windows.</summary>
public sealed class SampledCorpus() : WovenCorpusFixture(optimize: true, "Woven.Corpus.Sampled", CountingSettings.Sampled with { ExactBound = 64, WindowBudget = 0 });
