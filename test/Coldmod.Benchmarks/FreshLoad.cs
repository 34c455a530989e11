using System.Reflection;
using System.Runtime.Loader;

namespace Coldmod.Benchmarks;

/// <summary>
/// Both copies of the target loaded into a new collectible load context, so their code is not yet
/// compiled and the woven copy's module initializer has not run. Coldmod.Runtime comes from the default
/// context and keeps every registered module, so a woven copy is never collected: a few dozen
/// iterations leak a few dozen small assemblies, which is harmless here.
/// </summary>
internal sealed class FreshLoad
{
    private readonly AssemblyLoadContext _context;

    public FreshLoad()
    {
        _context = new AssemblyLoadContext("coldmod-bench-fresh", isCollectible: true);
        Unwoven = _context.LoadFromAssemblyPath(BenchTargets.Instance.UnwovenPath);
        Woven = _context.LoadFromAssemblyPath(BenchTargets.Instance.WovenPath);
    }

    public Assembly Unwoven { get; }

    public Assembly Woven { get; }

    public void Unload() => _context.Unload();

    /// <summary>Every method and constructor with a body in non-generic code, for the JIT to compile.</summary>
    public static RuntimeMethodHandle[] CompilableMethods(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return
        [
            .. assembly.GetTypes()
                .Where(type => !type.ContainsGenericParameters)
                .SelectMany(type => type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
                .Where(method => !method.IsAbstract && !method.ContainsGenericParameters && method.GetMethodBody() is not null)
                .Select(method => method.MethodHandle),
        ];
    }
}
