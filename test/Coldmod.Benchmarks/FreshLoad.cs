using System.Reflection;
using System.Runtime.Loader;

namespace Coldmod.Benchmarks;

/// <summary>
/// Both copies of the target loaded into a new load context, so their code is not yet compiled and the
/// woven copy's module initializer has not run. Not a collectible context: an application's assemblies
/// are not collectible, and the JIT compiles code of collectible ones differently (their statics are
/// reached through an extra indirection). Coldmod.Runtime, from the default context, keeps every
/// registered module anyway, so a few dozen iterations leak a few dozen small assemblies, harmless here.
/// </summary>
internal sealed class FreshLoad
{
    public FreshLoad()
    {
        var context = new AssemblyLoadContext("coldmod-bench-fresh", isCollectible: false);
        Unwoven = context.LoadFromAssemblyPath(BenchTargets.Instance.UnwovenPath);
        Woven = context.LoadFromAssemblyPath(BenchTargets.Instance.WovenPath);
    }

    public Assembly Unwoven { get; }

    public Assembly Woven { get; }

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
