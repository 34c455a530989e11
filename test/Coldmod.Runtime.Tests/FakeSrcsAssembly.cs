using System.Reflection;
using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

// A woven assembly reduced to what the runtime reads from it: its name and its Coldmod.Srcs resource (none when
// srcs is null). Lets a test make modules with any srcs it needs without compiling an assembly for each.
internal sealed class FakeSrcsAssembly(string assemblyName, byte[]? srcs) : Assembly
{
    public override string FullName => assemblyName;

    public override AssemblyName GetName() => new(assemblyName);

    public override Stream? GetManifestResourceStream(string name) =>
        srcs is not null && name == SrcsTable.ResourceName ? new MemoryStream(srcs, writable: false) : null;

    // A module as a woven assembly's initializer registers it, but outside the process-wide registry. Its srcs are read
    // here, while this assembly is surely alive: the module holds it only weakly.
    public static ModuleCounters Module(string name, params SrcEntry[] srcs) => Module(name, CountingSettings.Exact, srcs);

    public static ModuleCounters Module(string name, CountingSettings counting, params SrcEntry[] srcs)
    {
        using var table = new MemoryStream();
        new SrcsTable(srcs).WriteTo(table);
        var module = Module(new FakeSrcsAssembly(name, table.ToArray()), srcs.Length, counting);
        Assert.NotNull(module.Srcs);
        return module;
    }

    public static ModuleCounters Module(FakeSrcsAssembly assembly, int methodCount, CountingSettings? counting = null)
    {
        var name = assembly.GetName().Name!;
        var module = new ModuleCounters(name, methodCount, ModuleSrcs.FromAssembly(name, assembly, methodCount), counting ?? CountingSettings.Exact);
        _ = module.Keys;
        return module;
    }
}
