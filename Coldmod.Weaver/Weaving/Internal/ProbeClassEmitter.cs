using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>The probe class of a woven module: one probe method per block of <see cref="ProbeClassEmitter.BlockSize"/> srcs.</summary>
internal sealed record ProbeClass(IReadOnlyList<MethodDefinition> Blocks, MethodDefinition Initialize)
{
    /// <summary>The probe method and the <c>ldc.i4.s</c> argument that select src <paramref name="index"/>.</summary>
    public (MethodDefinition Probe, sbyte Offset) For(int index) =>
        (Blocks[index / ProbeClassEmitter.BlockSize], (sbyte)((index % ProbeClassEmitter.BlockSize) - ProbeClassEmitter.BlockBias));
}

/// <summary>
/// Emits the internal probe class, the IL equivalent of:
/// <code>
/// static unsafe class &lt;Coldmod&gt;Probes {
///     static readonly ModuleCounters Module = ColdmodModules.Register(typeof(&lt;Coldmod&gt;Probes).Assembly, N);
///     static readonly nint Armed = Module.ArmedFlags;
///     [AggressiveInlining] static void Hit0(int offset) {
///         long* word = (long*)Armed + (0 * 256 + 128 + offset);
///         if (*word > 0) Interlocked.Decrement(ref *word);
///     }
///     ...
/// }
/// </code>
/// Each woven method starts with <c>ldc.i4.s offset; call HitK</c>: 7 bytes of IL whatever the src's index, so a
/// 7-byte getter stays under the JIT's always-inline size of 16. Once inlined, <c>Armed</c> (a static readonly
/// primitive of an initialized class) and the offset are constants, so the probe compiles to one compare of a
/// constant address and a branch over one locked decrement: no call even on the counting path, so the probe takes no
/// register from its caller; no thread-static access, no write once the method is quiet, no bounds check.
/// </summary>
internal static class ProbeClassEmitter
{
    // What the emitted probes expect of ArmedFlags: one 64-bit count of calls left per method, decremented while positive.
    public const int ProbeFormat = 2;

    public const int BlockSize = 256;
    public const int BlockBias = 128;

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

        var moduleField = new FieldDefinition("Module", FieldAttributes.Assembly | FieldAttributes.Static | FieldAttributes.InitOnly, runtime.ModuleCounters);
        var armedField = new FieldDefinition("Armed", FieldAttributes.Assembly | FieldAttributes.Static | FieldAttributes.InitOnly, types.IntPtr);
        probes.Fields.Add(moduleField);
        probes.Fields.Add(armedField);

        probes.Methods.Add(StaticConstructor(types, probes, runtime, moduleField, armedField, methodCount));
        var blocks = new List<MethodDefinition>();
        for (var block = 0; block * BlockSize < methodCount; block++)
        {
            var probe = Probe(types, block, armedField, runtime.Decrement);
            probes.Methods.Add(probe);
            blocks.Add(probe);
        }

        var initialize = Initialize(types, moduleField);
        probes.Methods.Add(initialize);
        return new ProbeClass(blocks, initialize);
    }

    private static MethodDefinition StaticConstructor(
        TypeSystem types, TypeDefinition probes, RuntimeReferences runtime, FieldDefinition moduleField, FieldDefinition armedField, int methodCount)
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
        il.Emit(OpCodes.Callvirt, runtime.GetArmedFlags);
        il.Emit(OpCodes.Stsfld, armedField);
        il.Emit(OpCodes.Ret);
        return cctor;
    }

    private static MethodDefinition Probe(TypeSystem types, int block, FieldDefinition armedField, MethodReference decrement)
    {
        var probe = new MethodDefinition($"{WovenNames.HitMethod}{block}", MethodAttributes.Assembly | MethodAttributes.HideBySig | MethodAttributes.Static, types.Void)
        {
            AggressiveInlining = true,
        };
        probe.Parameters.Add(new ParameterDefinition("offset", ParameterAttributes.None, types.Int32));
        var first = (block * BlockSize) + BlockBias;
        var il = probe.Body.GetILProcessor();
        var quiet = il.Create(OpCodes.Ret);

        EmitWordAddress(il, armedField, first);
        il.Emit(OpCodes.Ldind_I8);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Conv_I8);
        il.Emit(OpCodes.Ble_S, quiet);
        EmitWordAddress(il, armedField, first);
        il.Emit(OpCodes.Call, decrement);
        il.Emit(OpCodes.Pop);
        il.Append(quiet);
        return probe;
    }

    // (long*)Armed + (first + offset); the JIT folds it to a constant once the probe is inlined with its offset.
    private static void EmitWordAddress(ILProcessor il, FieldDefinition armedField, int first)
    {
        il.Emit(OpCodes.Ldsfld, armedField);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I4, first);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Conv_I);
        il.Emit(OpCodes.Ldc_I4_8);
        il.Emit(OpCodes.Mul);
        il.Emit(OpCodes.Add);
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
