using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>
/// Puts <c>ldc.i4.s offset; call HitK</c> (see <see cref="ProbeClassEmitter"/>) in front of the first instruction of every src.
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
    private static void InjectAtEntry(MethodDefinition method, (MethodDefinition Probe, sbyte Offset) probe)
    {
        if (!method.HasBody || method.Body.Instructions.Count == 0)
        {
            throw new InvalidOperationException("it has no IL body");
        }

        var body = method.Body;
        body.SimplifyMacros();
        var il = body.GetILProcessor();
        var first = body.Instructions[0];
        var load = il.Create(OpCodes.Ldc_I4_S, probe.Offset);
        il.InsertBefore(first, load);
        il.InsertBefore(first, il.Create(OpCodes.Call, probe.Probe));
        HideFromDebugger(method, load);
        body.OptimizeMacros();
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
