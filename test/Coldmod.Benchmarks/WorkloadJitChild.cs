using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Reflection;

namespace Coldmod.Benchmarks;

/// <summary>
/// The child of <c>workload-jit</c>: loads one copy of the workload (woven or not) alone, runs it until tiered
/// compilation has settled, and writes every inlining decision the JIT reports for the workload's methods
/// (the runtime's JitTracing events) to a file, one line per decision, grouped by the compilation they belong to.
/// </summary>
internal static class WorkloadJitChild
{
    public const string Command = "workload-jit-child";

    public static int Run(string assemblyPath, int seconds, string decisionsPath)
    {
        var assembly = Assembly.LoadFrom(assemblyPath);
        var runAll = assembly.GetType("Bench.Script.ScriptRunner", throwOnError: true)!.GetMethod("RunAll")!.CreateDelegate<Func<string[], long>>();
        var corpus = ScriptCorpus.Generate(8, 360);
        using var listener = new InliningListener();
        var clock = Stopwatch.StartNew();
        long sink = 0;
        var passes = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            sink += runAll(corpus);
            passes++;
        }

        // Late Tier-1 compiles report asynchronously; give the dispatcher a moment before the file is written.
        Thread.Sleep(500);
        File.WriteAllLines(decisionsPath, listener.Lines());
        Console.WriteLine($"// workload-jit child: {passes} passes, checksum {sink}");
        return 0;
    }

    private sealed class InliningListener : EventListener
    {
        private const EventKeywords JitKeyword = (EventKeywords)0x10;
        private const EventKeywords JitTracingKeyword = (EventKeywords)0x1000;

        private readonly object _gate = new();
        private readonly List<string> _lines = [];

        public List<string> Lines()
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, JitKeyword | JitTracingKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            var line = e.EventName switch
            {
                "MethodJittingStarted_V1" or "MethodJittingStarted" =>
                    Join("start", e.OSThreadId, Name(e, "MethodNamespace", "MethodName"), Text(e, "MethodILSize")),
                "MethodLoadVerbose_V1" or "MethodLoadVerbose_V2" or "MethodLoadVerbose" =>
                    Join("done", e.OSThreadId, Name(e, "MethodNamespace", "MethodName"), Text(e, "MethodFlags"), Text(e, "MethodSize")),
                "MethodJitInliningSucceeded" =>
                    Join("inlined", e.OSThreadId, Name(e, "MethodBeingCompiledNamespace", "MethodBeingCompiledName"), Name(e, "InlinerNamespace", "InlinerName"), Name(e, "InlineeNamespace", "InlineeName")),
                "MethodJitInliningFailed" or "MethodJitInliningFailedAnsi" =>
                    Join("failed", e.OSThreadId, Name(e, "MethodBeingCompiledNamespace", "MethodBeingCompiledName"), Name(e, "InlinerNamespace", "InlinerName"), Name(e, "InlineeNamespace", "InlineeName"), Text(e, "FailReason")),
                _ => null,
            };
            if (line is not null)
            {
                lock (_gate)
                {
                    _lines.Add(line);
                }
            }
        }

        private static string Join(params object?[] parts) => string.Join('\t', parts);

        private static string Name(EventWrittenEventArgs e, string space, string name) => $"{Text(e, space)}:{Text(e, name)}";

        private static string Text(EventWrittenEventArgs e, string field)
        {
            var index = e.PayloadNames?.IndexOf(field) ?? -1;
            return index < 0 ? "" : Convert.ToString(e.Payload![index], CultureInfo.InvariantCulture) ?? "";
        }
    }
}
