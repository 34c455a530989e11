using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Coldmod.Runtime.Internal;
using Coldmod.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Coldmod.Runtime.Tests;

internal sealed record AppRun(int ExitCode, string Out, string Error);

// A tiny app woven by hand, as the weaver would weave it: a probe class registering the app's assembly, whose
// Coldmod.Srcs resource names the three probes. Run with "dotnet exec" against the Coldmod.Runtime under test.
internal static class HeatmapApp
{
    public const string AssemblyName = "HeatmapApp";

    public const string SrcsJson = """
        {"format":1,"srcs":[
          {"key":"HeatmapApp.Program.Main(System.String[])","file":"src/App/Program.cs","line":10},
          {"key":"HeatmapApp.Program.Unused","file":"src/App/Program.cs","line":20},
          {"key":"HeatmapApp.Worker.Run","file":"src/App/Worker.cs","line":5}
        ]}
        """;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    // Main calls probe 0 three times and, on a thread that ends before Main does, probe 2 five times; then it moves to
    // the directory given as its argument, so a relative heatmap path only lands right if it was resolved at start-up.
    private const string Source = """
        using System;
        using System.IO;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using Coldmod.Runtime;

        namespace HeatmapApp;

        internal static class Probes
        {
            internal static readonly ModuleCounters Module = ColdmodModules.Register(typeof(Probes).Assembly, 3);
            internal static readonly IntPtr Armed = Module.ArmedFlags;

            internal static unsafe void Hit(int index)
            {
                long* word = (long*)Armed + index;
                if (*word > 0)
                {
                    Interlocked.Decrement(ref *word);
                }
            }
        }

        public static class Program
        {
            public static int Main(string[] args)
            {
                for (var i = 0; i < 3; i++)
                {
                    Probes.Hit(0);
                }

                var worker = new Thread(() =>
                {
                    for (var i = 0; i < 5; i++)
                    {
                        Probes.Hit(2);
                    }
                });
                worker.Start();
                worker.Join();
                Directory.SetCurrentDirectory(args[0]);
                return 0;
            }
        }
        """;

    // Compiles the app into directory, with the runtime beside it and a runtimeconfig for the runtime this test runs on.
    public static string Build(string directory)
    {
        var runtimePath = typeof(ColdmodModules).Assembly.Location;
        var compilation = CSharpCompilation.Create(
            AssemblyName,
            [CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest))],
            [.. TestCompilation.FrameworkReferences, MetadataReference.CreateFromFile(runtimePath)],
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true));

        Directory.CreateDirectory(directory);
        var appPath = Path.Combine(directory, AssemblyName + ".dll");
        using (var pe = File.Create(appPath))
        {
            var srcs = new ResourceDescription(SrcsTable.ResourceName, () => new MemoryStream(Encoding.UTF8.GetBytes(SrcsJson)), isPublic: false);
            var result = compilation.Emit(pe, manifestResources: [srcs]);
            Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        File.Copy(runtimePath, Path.Combine(directory, Path.GetFileName(runtimePath)));
        var version = Environment.Version;
        var framework = $"{version.Major}.{version.Minor}";
        File.WriteAllText(
            Path.Combine(directory, AssemblyName + ".runtimeconfig.json"),
            "{\"runtimeOptions\":{\"tfm\":\"net" + framework + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + framework + ".0\"}}}");
        return appPath;
    }

    public static Process Start(string appPath, string workingDirectory, string? heatmapFile, string moveTo)
    {
        var start = new ProcessStartInfo(DotnetHost(), ["exec", appPath, moveTo])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (heatmapFile is null)
        {
            start.Environment.Remove(HeatmapFileExport.VariableName);
        }
        else
        {
            start.Environment[HeatmapFileExport.VariableName] = heatmapFile;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    public static AppRun Finish(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"The app did not exit within {s_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
            }

            process.WaitForExit();
            return new AppRun(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
    }

    // The host this test runs under; the SDK names it in DOTNET_HOST_PATH, and it sits three levels above the runtime.
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        return Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
    }
}
