using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Coldmod.Weaver.Weaving.Internal;

internal sealed record ProbeClass(MethodDefinition Hit, MethodDefinition Initialize);

/// <summary>
/// Emits the internal probe class, the IL equivalent of:
/// <code>
/// static class &lt;Coldmod&gt;Probes {
///     static readonly ModuleCounters Module = ColdmodModules.Register(typeof(&lt;Coldmod&gt;Probes).Assembly, N);
///     static readonly int[] Dirty = Module.DirtyFlags;
///     [ThreadStatic] static int[] Counts;
///     [AggressiveInlining] static void Hit(int i) {
///         int[] c = Counts ?? Attach();
///         c[i]++;
///         if (Dirty[i] == 0) Module.MarkDirty(i);
///     }
/// }
/// </code>
/// Counters are per thread, so the hot path is a plain increment with no lock, no interlocked
/// instruction and no sharing between cores; Dirty is read-mostly and written once per method per drain.
/// </summary>
internal static class ProbeClassEmitter
{
    public static ProbeClass Emit(ModuleDefinition module, RuntimeReferences runtime, int methodCount)
    {
        var types = module.TypeSystem;
        var probes = new TypeDefinition(
            "",
            WovenNames.ProbesType,
            TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class,
            types.Object);
        probes.CustomAttributes.Add(new CustomAttribute(runtime.CompilerGeneratedAttributeConstructor));
        module.Types.Add(probes);

        var intArray = new ArrayType(types.Int32);
        var moduleField = new FieldDefinition("Module", FieldAttributes.Assembly | FieldAttributes.Static | FieldAttributes.InitOnly, runtime.ModuleCounters);
        var dirtyField = new FieldDefinition("Dirty", FieldAttributes.Assembly | FieldAttributes.Static | FieldAttributes.InitOnly, intArray);
        var countsField = new FieldDefinition("Counts", FieldAttributes.Assembly | FieldAttributes.Static, intArray);
        countsField.CustomAttributes.Add(new CustomAttribute(runtime.ThreadStaticAttributeConstructor));
        probes.Fields.Add(moduleField);
        probes.Fields.Add(dirtyField);
        probes.Fields.Add(countsField);

        probes.Methods.Add(StaticConstructor(types, probes, runtime, moduleField, dirtyField, methodCount));
        var attach = Attach(runtime, moduleField, countsField, intArray);
        probes.Methods.Add(attach);
        var hit = Hit(types, runtime, moduleField, dirtyField, countsField, attach);
        probes.Methods.Add(hit);
        var initialize = Initialize(types, moduleField);
        probes.Methods.Add(initialize);
        return new ProbeClass(hit, initialize);
    }

    private static MethodDefinition StaticConstructor(
        TypeSystem types, TypeDefinition probes, RuntimeReferences runtime, FieldDefinition moduleField, FieldDefinition dirtyField, int methodCount)
    {
        var cctor = new MethodDefinition(
            ".cctor",
            MethodAttributes.Private | MethodAttributes.HideBySig | MethodAttributes.Static | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            types.Void);
        var il = cctor.Body.GetILProcessor();
        il.Emit(OpCodes.Ldtoken, probes);
        il.Emit(OpCodes.Call, runtime.GetTypeFromHandle);
        il.Emit(OpCodes.Callvirt, runtime.GetAssembly);
        il.Emit(OpCodes.Ldc_I4, methodCount);
        il.Emit(OpCodes.Call, runtime.Register);
        il.Emit(OpCodes.Stsfld, moduleField);
        il.Emit(OpCodes.Ldsfld, moduleField);
        il.Emit(OpCodes.Callvirt, runtime.GetDirtyFlags);
        il.Emit(OpCodes.Stsfld, dirtyField);
        il.Emit(OpCodes.Ret);
        return cctor;
    }

    private static MethodDefinition Attach(RuntimeReferences runtime, FieldDefinition moduleField, FieldDefinition countsField, ArrayType intArray)
    {
        var attach = new MethodDefinition("Attach", MethodAttributes.Private | MethodAttributes.HideBySig | MethodAttributes.Static, intArray)
        {
            NoInlining = true,
        };
        var il = attach.Body.GetILProcessor();
        il.Emit(OpCodes.Ldsfld, moduleField);
        il.Emit(OpCodes.Callvirt, runtime.AttachThread);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Stsfld, countsField);
        il.Emit(OpCodes.Ret);
        return attach;
    }

    private static MethodDefinition Hit(
        TypeSystem types, RuntimeReferences runtime, FieldDefinition moduleField, FieldDefinition dirtyField, FieldDefinition countsField, MethodDefinition attach)
    {
        var hit = new MethodDefinition(WovenNames.HitMethod, MethodAttributes.Assembly | MethodAttributes.HideBySig | MethodAttributes.Static, types.Void)
        {
            AggressiveInlining = true,
        };
        hit.Parameters.Add(new ParameterDefinition("index", ParameterAttributes.None, types.Int32));
        var il = hit.Body.GetILProcessor();
        var increment = il.Create(OpCodes.Ldarg_0);
        var done = il.Create(OpCodes.Ret);

        il.Emit(OpCodes.Ldsfld, countsField);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Brtrue_S, increment);
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Call, attach);
        il.Append(increment);
        il.Emit(OpCodes.Ldelema, types.Int32);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Ldind_I4);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stind_I4);
        il.Emit(OpCodes.Ldsfld, dirtyField);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldelem_I4);
        il.Emit(OpCodes.Brtrue_S, done);
        il.Emit(OpCodes.Ldsfld, moduleField);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Callvirt, runtime.MarkDirty);
        il.Append(done);
        return hit;
    }

    private static MethodDefinition Initialize(TypeSystem types, FieldDefinition moduleField)
    {
        // Reading a static field runs the static constructor, which registers the module.
        var initialize = new MethodDefinition("Initialize", MethodAttributes.Assembly | MethodAttributes.HideBySig | MethodAttributes.Static, types.Void)
        {
            NoInlining = true,
        };
        var il = initialize.Body.GetILProcessor();
        il.Emit(OpCodes.Ldsfld, moduleField);
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Ret);
        return initialize;
    }
}
