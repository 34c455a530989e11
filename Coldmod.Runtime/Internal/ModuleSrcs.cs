using System.Reflection;
#if NET
using System.Runtime.Loader;
#endif

namespace Coldmod.Runtime.Internal;

// The keys of one module, resolved on first use rather than at registration: registration runs inside
// the app's start-up (a module initializer), reading and parsing the srcs resource does not have to.
internal sealed class ModuleSrcs
{
    private readonly object _gate = new();
    private readonly string _moduleName;
    private readonly int _methodCount;

    // Weak, so that registering an assembly from a collectible load context does not keep it from unloading.
    private readonly WeakReference<Assembly>? _assembly;
    private IReadOnlyList<string>? _keys;
    private SrcsTable? _table;

    private ModuleSrcs(string moduleName, int methodCount, Assembly? assembly, IReadOnlyList<string>? keys)
    {
        _moduleName = moduleName;
        _methodCount = methodCount;
        _assembly = assembly is null ? null : new WeakReference<Assembly>(assembly);
        _keys = keys;
    }

    public bool IsLoaded => Volatile.Read(ref _keys) is not null;

    public IReadOnlyList<string> Keys
    {
        get
        {
            EnsureLoaded();
            return _keys!;
        }
    }

    // Null when the module has no readable srcs resource matching its probes (or was registered by keys).
    public SrcsTable? Table
    {
        get
        {
            EnsureLoaded();
            return _table;
        }
    }

    public static ModuleSrcs FromKeys(string moduleName, IReadOnlyList<string> keys) =>
        new(moduleName, keys.Count, assembly: null, [.. keys]);

    public static ModuleSrcs FromAssembly(string moduleName, Assembly? assembly, int methodCount)
    {
        var srcs = new ModuleSrcs(moduleName, methodCount, assembly, keys: null);
#if NET
        if (assembly is not null)
        {
            var context = AssemblyLoadContext.GetLoadContext(assembly);
            if (context is { IsCollectible: true })
            {
                // The weak reference dies with the context, so read the srcs while they can still be read.
                context.Unloading += _ => srcs.EnsureLoaded();
            }
        }
#endif

        return srcs;
    }

    public bool Holds(Assembly assembly) =>
        _assembly is not null && _assembly.TryGetTarget(out var held) && ReferenceEquals(held, assembly);

    private void EnsureLoaded()
    {
        if (IsLoaded)
        {
            return;
        }

        lock (_gate)
        {
            if (IsLoaded)
            {
                return;
            }

            var table = ReadTable(out var problem);
            if (problem is not null)
            {
                RuntimeLog.Report($"module {_moduleName}: {problem}; its counts are reported under #index keys.");
            }

            _table = table;
            Volatile.Write(ref _keys, table is null ? FallbackKeys(_methodCount) : [.. table.Entries.Select(e => e.Key)]);
        }
    }

    private SrcsTable? ReadTable(out string? problem)
    {
        if (_assembly is null || !_assembly.TryGetTarget(out var assembly))
        {
            problem = "its assembly is no longer loaded, so its srcs cannot be read";
            return null;
        }

        SrcsTable table;
        try
        {
            using var stream = assembly.GetManifestResourceStream(SrcsTable.ResourceName);
            if (stream is null)
            {
                problem = $"it has no {SrcsTable.ResourceName} resource";
                return null;
            }

            table = SrcsTable.Read(stream);
        }
        catch (Exception e)
        {
            // Whatever went wrong, the app keeps running and the counts keep flowing under fallback keys.
            problem = $"its {SrcsTable.ResourceName} resource cannot be read ({e.Message})";
            return null;
        }

        if (table.Entries.Count != _methodCount)
        {
            problem = $"its {SrcsTable.ResourceName} resource lists {table.Entries.Count} srcs but it has {_methodCount} probes";
            return null;
        }

        problem = null;
        return table;
    }

    private static string[] FallbackKeys(int methodCount)
    {
        var keys = new string[methodCount];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = "#" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return keys;
    }
}
