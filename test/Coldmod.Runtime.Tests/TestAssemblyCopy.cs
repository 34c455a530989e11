using System.Reflection;
using System.Runtime.Loader;

namespace Coldmod.Runtime.Tests;

// This test assembly loaded again in a collectible context: a second copy of a "woven" assembly, as an app
// or a weaver test gets when it loads one assembly in several load contexts. Its own Coldmod.Runtime
// reference resolves to the default context's, so both copies share one registry.
internal sealed class TestAssemblyCopy
{
    private readonly AssemblyLoadContext _context;

    public TestAssemblyCopy()
    {
        _context = new AssemblyLoadContext("coldmod-test-copy", isCollectible: true);
        Assembly = _context.LoadFromAssemblyPath(typeof(TestAssemblyCopy).Assembly.Location);
    }

    public Assembly Assembly { get; }

    public void HitResourceWovenProbe(int index)
    {
        var probes = Assembly.GetType(typeof(ResourceWovenProbes).FullName!, throwOnError: true)!;
        var hit = probes.GetMethod(nameof(ResourceWovenProbes.Hit), BindingFlags.Static | BindingFlags.NonPublic)!;
        hit.Invoke(null, [index]);
    }

    public WeakReference Unload()
    {
        _context.Unload();
        return new WeakReference(_context);
    }
}
