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
///     static readonly nint Armed0 = Armed + (0 * 256 + 128) * 8, Armed1 = ...;
///     [AggressiveInlining] static void Hit0(int offset) {
///         long* word = (long*)(Armed0 + (offset &lt;&lt; 3));
///         if (*word > 0) Interlocked.Decrement(ref *word);
///     }
///     ...
/// }
/// </code>
/// Each woven method starts with <c>ldc.i4.s offset; call HitK</c>: 7 bytes of IL whatever the src's index, so a
/// 7-byte getter stays under the JIT's always-inline size of 16. Once inlined, <c>ArmedK</c> (a static readonly
/// primitive of an initialized class) and the offset are constants, so the probe compiles to one compare of a
/// constant address and a branch over one locked decrement: no call even on the counting path, so the probe takes no
/// register from its caller; no thread-static access, no write once the method is quiet, no bounds check.
/// A probe's body is kept short (30 bytes of IL) because the JIT charges every inline against its caller's inlining
/// budget by IL size: each woven callee inlined brings its HitK along, and a longer HitK made big callers run out of
/// budget for the user's own small methods (docs/benchmarks/probe-workload-analysis.md).
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
        var blockFields = new List<FieldDefinition>();
        for (var block = 0; block * BlockSize < methodCount; block++)
        {
            var blockField = new FieldDefinition($"Armed{block}", FieldAttributes.Assembly | FieldAttributes.Static | FieldAttributes.InitOnly, types.IntPtr);
            probes.Fields.Add(blockField);
            blockFields.Add(blockField);
        }

        probes.Methods.Add(StaticConstructor(types, probes, runtime, moduleField, armedField, blockFields, methodCount));
        var blocks = new List<MethodDefinition>();
        for (var block = 0; block < blockFields.Count; block++)
        {
            var probe = Probe(types, block, blockFields[block], runtime.Decrement);
            probes.Methods.Add(probe);
            blocks.Add(probe);
        }

        var initialize = Initialize(types, moduleField);
        probes.Methods.Add(initialize);
        return new ProbeClass(blocks, initialize);
    }

    private static MethodDefinition StaticConstructor(
        TypeSystem types,
        TypeDefinition probes,
        RuntimeReferences runtime,
        FieldDefinition moduleField,
        FieldDefinition armedField,
        IReadOnlyList<FieldDefinition> blockFields,
        int methodCount)
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
        for (var block = 0; block < blockFields.Count; block++)
        {
            // The word of a block's offset 0, so that a probe adds only its own offset.
            il.Emit(OpCodes.Ldsfld, armedField);
            il.Emit(OpCodes.Ldc_I4, ((block * BlockSize) + BlockBias) * sizeof(long));
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stsfld, blockFields[block]);
        }

        il.Emit(OpCodes.Ret);
        return cctor;
    }

    private static MethodDefinition Probe(TypeSystem types, int block, FieldDefinition blockField, MethodReference decrement)
    {
        var probe = new MethodDefinition($"{WovenNames.HitMethod}{block}", MethodAttributes.Assembly | MethodAttributes.HideBySig | MethodAttributes.Static, types.Void)
        {
            AggressiveInlining = true,
        };
        probe.Parameters.Add(new ParameterDefinition("offset", ParameterAttributes.None, types.Int32));
        var il = probe.Body.GetILProcessor();
        var quiet = il.Create(OpCodes.Ret);

        EmitWordAddress(il, blockField);
        il.Emit(OpCodes.Ldind_I8);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Conv_I8);
        il.Emit(OpCodes.Ble_S, quiet);
        EmitWordAddress(il, blockField);
        il.Emit(OpCodes.Call, decrement);
        il.Emit(OpCodes.Pop);
        il.Append(quiet);
        return probe;
    }

    // ArmedK + offset * 8, as int32 + native int (the offset is sign-extended); the JIT folds it to a constant once the
    // probe is inlined with its offset.
    private static void EmitWordAddress(ILProcessor il, FieldDefinition blockField)
    {
        il.Emit(OpCodes.Ldsfld, blockField);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I4_3);
        il.Emit(OpCodes.Shl);
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
