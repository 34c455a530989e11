using Mono.Cecil;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>
/// References from the woven module to Coldmod.Runtime and to the framework types the probe class uses.
/// They are built by hand against the module's own core library rather than imported from the runtime's
/// metadata, so the woven assembly never gains a second reference to another version of System.Runtime.
/// </summary>
internal sealed class RuntimeReferences
{
    private const string RuntimeNamespace = "Coldmod.Runtime";

    private RuntimeReferences(ModuleDefinition module, AssemblyNameReference runtime)
    {
        var corlib = module.TypeSystem.CoreLibrary;
        var types = module.TypeSystem;

        SystemType = new TypeReference("System", "Type", module, corlib);
        var runtimeTypeHandle = new TypeReference("System", "RuntimeTypeHandle", module, corlib, valueType: true);
        Assembly = new TypeReference("System.Reflection", "Assembly", module, corlib);

        GetTypeFromHandle = new MethodReference("GetTypeFromHandle", SystemType, SystemType);
        GetTypeFromHandle.Parameters.Add(new ParameterDefinition(runtimeTypeHandle));
        GetAssembly = new MethodReference("get_Assembly", Assembly, SystemType) { HasThis = true };

        CompilerGeneratedAttributeConstructor = AttributeConstructor(module, corlib, "System.Runtime.CompilerServices", "CompilerGeneratedAttribute");

        ModuleCounters = new TypeReference(RuntimeNamespace, "ModuleCounters", module, runtime);
        var modules = new TypeReference(RuntimeNamespace, "ColdmodModules", module, runtime);
        Register = new MethodReference("Register", ModuleCounters, modules);
        Register.Parameters.Add(new ParameterDefinition(Assembly));
        Register.Parameters.Add(new ParameterDefinition(types.Int32));
        ProbeWords = new TypeReference(RuntimeNamespace, "ProbeWords", module, runtime);
        Register.Parameters.Add(new ParameterDefinition(ProbeWords));
        Register.Parameters.Add(new ParameterDefinition(ProbeWords));
        ProbeWordsConstructor = new MethodReference(".ctor", types.Void, ProbeWords) { HasThis = true };
        ProbeWordsConstructor.Parameters.Add(new ParameterDefinition(types.Object));
        ProbeWordsConstructor.Parameters.Add(new ParameterDefinition(types.IntPtr));

        GetCountsEveryCall = new MethodReference("get_CountsEveryCall", types.Boolean, ModuleCounters) { HasThis = true };

        // An intrinsic: the JIT compiles it to one locked decrement, so exact mode's counting path holds no call.
        var interlocked = new TypeReference("System.Threading", "Interlocked", module, InterlockedScope(module, corlib));
        Decrement = new MethodReference("Decrement", types.Int64, interlocked);
        Decrement.Parameters.Add(new ParameterDefinition(new ByReferenceType(types.Int64)));
    }

    public TypeReference SystemType { get; }

    public TypeReference Assembly { get; }

    public MethodReference GetTypeFromHandle { get; }

    public MethodReference GetAssembly { get; }

    public MethodReference CompilerGeneratedAttributeConstructor { get; }

    public TypeReference ModuleCounters { get; }

    public MethodReference Register { get; }

    public MethodReference GetCountsEveryCall { get; }

    /// <summary>The runtime's delegate type for a method that returns a probe word by reference.</summary>
    public TypeReference ProbeWords { get; }

    public MethodReference ProbeWordsConstructor { get; }

    public MethodReference Decrement { get; }

    // Interlocked is in the core library of .NET Standard and .NET Framework; .NET's reference assemblies put it in
    // System.Threading, which is versioned with System.Runtime.
    private static IMetadataScope InterlockedScope(ModuleDefinition module, IMetadataScope corlib)
    {
        if (corlib is not AssemblyNameReference runtime || runtime.Name is "netstandard" or "mscorlib" or "System.Private.CoreLib")
        {
            return corlib;
        }

        if (module.AssemblyReferences.FirstOrDefault(r => r.Name == "System.Threading") is { } existing)
        {
            return existing;
        }

        var threading = new AssemblyNameReference("System.Threading", runtime.Version) { PublicKeyToken = runtime.PublicKeyToken };
        module.AssemblyReferences.Add(threading);
        return threading;
    }

    public static RuntimeReferences Import(ModuleDefinition module, string runtimeAssemblyPath)
    {
        var runtimeName = ReadAndCheckRuntime(runtimeAssemblyPath);
        var reference = module.AssemblyReferences.FirstOrDefault(r => r.Name == runtimeName.Name);
        if (reference is null)
        {
            reference = new AssemblyNameReference(runtimeName.Name, runtimeName.Version)
            {
                PublicKeyToken = runtimeName.PublicKeyToken,
                Culture = runtimeName.Culture,
            };
            module.AssemblyReferences.Add(reference);
        }

        return new RuntimeReferences(module, reference);
    }

    private static AssemblyNameDefinition ReadAndCheckRuntime(string path)
    {
        if (!File.Exists(path))
        {
            throw new ColdmodException(
                DiagnosticCodes.AssemblyUnreadable,
                $"Coldmod.Runtime was not found at {path}; reference the Coldmod package from the project being woven.",
                path);
        }

        using var runtime = AssemblyDefinition.ReadAssembly(new MemoryStream(File.ReadAllBytes(path), writable: false));
        var modules = runtime.MainModule.GetType(RuntimeNamespace, "ColdmodModules");
        var counters = runtime.MainModule.GetType(RuntimeNamespace, "ModuleCounters");
        var complete = modules?.Methods.Any(m => m.Name == "Register" && m.Parameters.Count == 4) == true &&
                       counters is not null &&
                       counters.Methods.Any(m => m.Name == "get_CountsEveryCall") &&
                       runtime.MainModule.GetType(RuntimeNamespace, "ProbeWords") is not null &&
                       counters.Fields.Any(f => f.Name == "ProbeFormat" && f.HasConstant && Equals(f.Constant, ProbeClassEmitter.ProbeFormat));
        if (!complete)
        {
            throw new ColdmodException(
                DiagnosticCodes.AssemblyUnreadable,
                $"{path} is not a Coldmod.Runtime this weaver can call (its probe entry points are missing); use the Coldmod.Runtime that ships with this Coldmod package.",
                path);
        }

        return runtime.Name;
    }

    private static MethodReference AttributeConstructor(ModuleDefinition module, IMetadataScope corlib, string ns, string name) =>
        new(".ctor", module.TypeSystem.Void, new TypeReference(ns, name, module, corlib)) { HasThis = true };
}
