using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>The probe class of a woven module: one word and one probe method per src.</summary>
internal sealed record ProbeClass(IReadOnlyList<MethodDefinition> Probes, MethodDefinition Initialize)
{
    /// <summary>The probe method of src <paramref name="index"/>.</summary>
    public MethodDefinition For(int index) => Probes[index];
}

/// <summary>
/// Emits the internal probe class, the IL equivalent of:
/// <code>
/// static class &lt;Coldmod&gt;Probes {
///     static long W0, W1, ...;   // one word per src, the calls it may still count
///     static readonly ModuleCounters Module = ColdmodModules.Register(typeof(&lt;Coldmod&gt;Probes).Assembly, N, First, Last);
///     static ref long First() =&gt; ref W0;  static ref long Last() =&gt; ref W{N-1};
///     static readonly bool Exact = Module.CountsEveryCall;
///     [AggressiveInlining] static void Hit0() {   // one per src, Hit<i>i</i> on W<i>i</i>
///         if (W0 &gt; 0) { if (Exact) Interlocked.Decrement(ref W0); else W0 = W0 - 1; }
///     }
/// }
/// </code>
/// Each woven method starts with <c>call Hit<i>i</i></c> (5 bytes of IL). Inlined, the word is a static field of an
/// initialized class, so its address is a constant and <c>Exact</c> is folded: the hot path is one compare of that
/// field with 0 and a predicted branch; no call, no thread-static, no write once the method is quiet.
/// Why static fields and a plain decrement: to the JIT, a store to a named static field changes that field only,
/// so a caller's values loaded before an inlined probe are still known after it. A store through a pointer or an
/// interlocked operation, even on a path that never runs, makes the JIT forget every heap value at the point where
/// that path rejoins; on tiny-method code that cost more than the probes themselves
/// (docs/benchmarks/probe-workload-analysis.md). A plain decrement can lose a decrement when two threads race on it,
/// which only makes a method count a little longer: the first call still takes its word below the value it was
/// armed with, so a method that ran is never cold. Exact mode keeps the interlocked decrement, so every call counts.
/// The runtime reads and re-arms the words through references to the first and last (statics move with the GC in a
/// collectible load context): a class's statics of one size are laid out in declaration order, which the runtime
/// checks before it trusts them.
/// </summary>
internal static class ProbeClassEmitter
{
    // What the probes expect of the runtime: one 64-bit count of calls left per method, in the module's own static
    // fields, decremented by the probe while positive.
    public const int ProbeFormat = 3;

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

        // The words come first and are the class's only 8-byte non-GC statics, so that they are laid out contiguously.
        var words = new List<FieldDefinition>(methodCount);
        for (var index = 0; index < methodCount; index++)
        {
            var word = new FieldDefinition($"W{index}", FieldAttributes.Assembly | FieldAttributes.Static, types.Int64);
            probes.Fields.Add(word);
            words.Add(word);
        }

        var moduleField = new FieldDefinition("Module", FieldAttributes.Assembly | FieldAttributes.Static | FieldAttributes.InitOnly, runtime.ModuleCounters);
        var exactField = new FieldDefinition("Exact", FieldAttributes.Assembly | FieldAttributes.Static | FieldAttributes.InitOnly, types.Boolean);
        probes.Fields.Add(moduleField);
        probes.Fields.Add(exactField);

        probes.Methods.Add(StaticConstructor(types, probes, runtime, moduleField, exactField, words));
        var hits = new List<MethodDefinition>(methodCount);
        for (var index = 0; index < methodCount; index++)
        {
            var hit = Probe(types, index, words[index], exactField, runtime.Decrement);
            probes.Methods.Add(hit);
            hits.Add(hit);
        }

        var initialize = Initialize(types, moduleField);
        probes.Methods.Add(initialize);
        return new ProbeClass(hits, initialize);
    }

    private static MethodDefinition StaticConstructor(
        TypeSystem types,
        TypeDefinition probes,
        RuntimeReferences runtime,
        FieldDefinition moduleField,
        FieldDefinition exactField,
        IReadOnlyList<FieldDefinition> words)
    {
        var cctor = new MethodDefinition(
            ".cctor",
            MethodAttributes.Private | MethodAttributes.HideBySig | MethodAttributes.Static | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            types.Void);
        var il = cctor.Body.GetILProcessor();
        il.Emit(OpCodes.Ldtoken, probes);
        il.Emit(OpCodes.Call, runtime.GetTypeFromHandle);
        il.Emit(OpCodes.Callvirt, runtime.GetAssembly);
        il.Emit(OpCodes.Ldc_I4, words.Count);
        EmitWordAccessor(il, probes, runtime, types, "First", words.Count > 0 ? words[0] : null);
        EmitWordAccessor(il, probes, runtime, types, "Last", words.Count > 0 ? words[^1] : null);
        il.Emit(OpCodes.Call, runtime.Register);
        il.Emit(OpCodes.Stsfld, moduleField);
        il.Emit(OpCodes.Ldsfld, moduleField);
        il.Emit(OpCodes.Callvirt, runtime.GetCountsEveryCall);
        il.Emit(OpCodes.Stsfld, exactField);
        il.Emit(OpCodes.Ret);
        return cctor;
    }

    // A ProbeWords delegate over a new method that returns the word by reference (null when there is none): the runtime
    // reaches the words through it, because in a collectible load context the GC moves a class's statics.
    private static void EmitWordAccessor(ILProcessor il, TypeDefinition probes, RuntimeReferences runtime, TypeSystem types, string name, FieldDefinition? word)
    {
        if (word is null)
        {
            il.Emit(OpCodes.Ldnull);
            return;
        }

        var accessor = new MethodDefinition(name, MethodAttributes.Assembly | MethodAttributes.HideBySig | MethodAttributes.Static, new ByReferenceType(types.Int64));
        var body = accessor.Body.GetILProcessor();
        body.Emit(OpCodes.Ldsflda, word);
        body.Emit(OpCodes.Ret);
        probes.Methods.Add(accessor);

        il.Emit(OpCodes.Ldnull);
        il.Emit(OpCodes.Ldftn, accessor);
        il.Emit(OpCodes.Newobj, runtime.ProbeWordsConstructor);
    }

    private static MethodDefinition Probe(TypeSystem types, int index, FieldDefinition word, FieldDefinition exactField, MethodReference decrement)
    {
        var probe = new MethodDefinition($"{WovenNames.HitMethod}{index}", MethodAttributes.Assembly | MethodAttributes.HideBySig | MethodAttributes.Static, types.Void)
        {
            AggressiveInlining = true,
        };
        var il = probe.Body.GetILProcessor();
        var quiet = il.Create(OpCodes.Ret);
        var plain = il.Create(OpCodes.Ldsfld, word);

        il.Emit(OpCodes.Ldsfld, word);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Conv_I8);
        il.Emit(OpCodes.Ble_S, quiet);
        il.Emit(OpCodes.Ldsfld, exactField);
        il.Emit(OpCodes.Brfalse_S, plain);
        il.Emit(OpCodes.Ldsflda, word);
        il.Emit(OpCodes.Call, decrement);
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Ret);
        il.Append(plain);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Conv_I8);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Stsfld, word);
        il.Append(quiet);
        return probe;
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
