using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>
/// Puts <c>call Hit<i>i</i></c>, the probe method of src <i>i</i> (see <see cref="ProbeClassEmitter"/>), in front of the
/// first instruction of every src.
/// Branches and exception handlers that target the old first instruction keep targeting it: a loop at
/// the top of a method must not count its iterations, and a try block at the start must not cover
/// the probe. The probe leaves the stack empty, so it is valid before a try, a localloc, or a
/// constructor's base call.
/// </summary>
internal static class ProbeInjector
{
    // Hidden sequence points carry this line; debuggers step over them.
    private const int HiddenLine = 0xfeefee;

    public static void Inject(ModuleDefinition module, IReadOnlyList<TraceSrc> srcs, ProbeClass probes)
    {
        for (var index = 0; index < srcs.Count; index++)
        {
            var src = srcs[index];
            var method = module.LookupToken(src.MethodToken) as MethodDefinition
                ?? throw Failure(src, "its metadata token does not name a method in the module");
            try
            {
                InjectAtEntry(method, probes.For(index));
            }
            catch (Exception e) when (e is not ColdmodException)
            {
                throw Failure(src, e.Message, e);
            }
        }
    }

    // Constructors get the probe at entry too, before field initializers and the base/this call:
    // it does not touch `this`, so the IL stays valid there, and an invocation counts even when the
    // base constructor throws, exactly as for any other method.
    private static void InjectAtEntry(MethodDefinition method, MethodDefinition probe)
    {
        if (!method.HasBody || method.Body.Instructions.Count == 0)
        {
            throw new InvalidOperationException("it has no IL body");
        }

        var body = method.Body;
        KeepAlwaysInlined(method);
        body.SimplifyMacros();
        var il = body.GetILProcessor();
        var first = body.Instructions[0];
        var call = il.Create(OpCodes.Call, probe);
        il.InsertBefore(first, call);
        HideFromDebugger(method, call);
        body.OptimizeMacros();
    }

    // The JIT inlines every callee of at most this many bytes of IL without weighing it (its always-inline size);
    // above it, inlining is a profitability estimate.
    private const int AlwaysInlineSize = 16;

    // The probe adds 5 bytes of IL and a call, which takes a 12-16-byte method over the JIT's always-inline size: a hot
    // getter or one-line helper would then stay a real call at many of its callers. Marking such a method
    // AggressiveInlining gives the JIT back the decision it made before the probe: inline it wherever that is legal.
    // Only straight-line bodies: the JIT does not inline a method that throws, loops or handles exceptions, and
    // AggressiveInlining would override that (a throw helper's frame would leave the stack trace). What the user said
    // (NoInlining, NoOptimization, AggressiveInlining) is kept.
    private static void KeepAlwaysInlined(MethodDefinition method)
    {
        var body = method.Body;
        if (method.NoInlining || method.NoOptimization || method.AggressiveInlining || method.IsSynchronized || body.HasExceptionHandlers)
        {
            return;
        }

        var last = body.Instructions[^1];
        if (last.Offset + last.GetSize() > AlwaysInlineSize)
        {
            return;
        }

        foreach (var instruction in body.Instructions)
        {
            var code = instruction.OpCode.Code;
            var backward = instruction.Operand is Instruction target && target.Offset <= instruction.Offset;
            if (backward || instruction.Operand is Instruction[] || code is Code.Throw or Code.Rethrow or Code.Localloc or Code.Jmp or Code.Tail or Code.Calli)
            {
                return;
            }
        }

        method.AggressiveInlining = true;
    }

    private static void HideFromDebugger(MethodDefinition method, Instruction probe)
    {
        var debug = method.DebugInformation;
        if (!debug.HasSequencePoints)
        {
            return;
        }

        var document = debug.SequencePoints[0].Document;
        debug.SequencePoints.Insert(0, new SequencePoint(probe, document)
        {
            StartLine = HiddenLine,
            EndLine = HiddenLine,
            StartColumn = 0,
            EndColumn = 0,
        });
    }

    private static ColdmodException Failure(TraceSrc src, string reason, Exception? inner = null) =>
        new(
            DiagnosticCodes.WeaveFailed,
            $"Cannot weave {src.Key} at {src.Location}: {reason}.",
            src.File,
            src.Line,
            inner: inner);
}
