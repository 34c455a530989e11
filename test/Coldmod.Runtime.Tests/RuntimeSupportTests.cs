using System.Reflection;
using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

// The netstandard2.0 build's decision, with the runtime's description injected: the real .NET Framework cannot run here.
[Collection(nameof(ProcessWideCollection))]
public sealed class RuntimeSupportTests
{
    private const string Framework = ".NET Framework 4.8.9032.0";

    [Theory]
    [InlineData(".NET 8.0.11")]
    [InlineData(".NET 10.0.0")]
    [InlineData(".NET Core 3.1.32")]
    [InlineData(".NET Core 4.6.27110.04")]
    public void Every_NET_Core_and_NET_runtime_is_traced_without_a_word(string description)
    {
        var lines = new List<string>();

        Assert.True(RuntimeSupport.Decide(description, lines.Add));
        Assert.Empty(lines);
        Assert.Null(RuntimeSupport.UntracedReason(description));
    }

    [Theory]
    [InlineData(Framework)]
    [InlineData(".NET Framework 4.7.2558.0")]
    [InlineData(".NET Framework (version unknown)")]
    public void NET_Framework_is_not_traced_and_says_so_in_one_line_that_names_it_and_what_to_do(string description)
    {
        var lines = new List<string>();

        Assert.False(RuntimeSupport.Decide(description, lines.Add));

        var line = Assert.Single(lines);
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("tracing is off: this process runs on " + description + ",", line, StringComparison.Ordinal);
        Assert.Contains("run the app on .NET 8 or later", line, StringComparison.Ordinal);
        Assert.Contains("<ColdmodWeave>false</ColdmodWeave>", line, StringComparison.Ordinal);
    }

    [Fact]
    public void This_process_is_traced()
    {
        Assert.True(RuntimeSupport.IsTraced);
    }

    [Fact]
    public void On_NET_Framework_a_woven_module_registers_quiet_its_code_runs_and_nothing_is_counted()
    {
        using var stderr = new StderrCapture();
        var copy = new TestAssemblyCopy();
        RuntimeSupport.DescriptionForThisThread = Framework;
        try
        {
            // The first probe call runs the module's initializer, on this thread, as the woven module initializer would.
            for (var i = 0; i < 5; i++)
            {
                copy.HitResourceWovenProbe(0);
                copy.HitResourceWovenProbe(1);
            }
        }
        finally
        {
            RuntimeSupport.DescriptionForThisThread = null;
        }

        var module = (ModuleCounters)copy.Assembly.GetType(typeof(ResourceWovenProbes).FullName!, throwOnError: true)!
            .GetField(nameof(ResourceWovenProbes.Module), BindingFlags.Static | BindingFlags.NonPublic)!
            .GetValue(null)!;
        Assert.False(module.IsArmed(0));
        Assert.False(module.IsArmed(1));
        Assert.Empty(module.Drain(sweep: true));
        Assert.Null(ColdmodModules.Find(copy.Assembly));
        Assert.DoesNotContain(module, ColdmodModules.Modules);
        var line = Assert.Single(stderr.Lines);
        Assert.StartsWith("coldmod: tracing is off: this process runs on " + Framework, line, StringComparison.Ordinal);
        copy.Unload();
    }

    [Fact]
    public void On_NET_Framework_Start_does_not_start_the_sender_and_only_says_why()
    {
        using var stderr = new StderrCapture();
        RuntimeSupport.DescriptionForThisThread = Framework;
        bool started;
        try
        {
            started = ColdmodTracing.Start(new ColdmodTracingOptions { GrpcHost = "127.0.0.1:1", Insecure = true, App = "untraced" });
        }
        finally
        {
            RuntimeSupport.DescriptionForThisThread = null;
        }

        Assert.False(started);
        Assert.Null(ColdmodTracing.Current);
        var line = Assert.Single(stderr.Lines);
        Assert.StartsWith("coldmod: tracing is off:", line, StringComparison.Ordinal);
    }
}
