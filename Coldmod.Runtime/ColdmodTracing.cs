using System.Runtime.CompilerServices;
using Coldmod.Runtime.Internal;
using Coldmod.Runtime.Internal.Sending;

namespace Coldmod.Runtime;

/// <summary>
/// Starts sending this app's call counts to the Coldmod server.
/// </summary>
/// <remarks>
/// Starting is explicit because it sets the srcs of this build (its version, a hash of its srcs) on the server: the
/// newest build's keys become the app's view, and keys it no longer has are listed apart while older builds are
/// retained. A process of a build the server already has sends only the version id. Configuration comes from the
/// environment: <c>COLDMOD_GRPC_HOST</c> (host:port), <c>COLDMOD_API_KEY</c>, <c>COLDMOD_TLS_CA</c>,
/// <c>COLDMOD_INSECURE=on</c>, <c>COLDMOD_APP</c>, <c>COLDMOD_FLUSH_INTERVAL</c> and <c>COLDMOD_VERSION</c> (a label).
/// On .NET Framework, where only the netstandard2.0 build can run, tracing is off: the runtime says so in one line on
/// standard error and <c>Start</c> returns false.
/// </remarks>
public static class ColdmodTracing
{
    private static readonly object s_gate = new();
    private static Sender? s_sender;

    internal static Sender? Current => Volatile.Read(ref s_sender);

    /// <summary>
    /// Sets the app's srcs on the server and starts the background sender, configured from the environment.
    /// Never throws: a missing or invalid setting is reported in one line on standard error and the app runs untraced.
    /// </summary>
    /// <returns>True when the sender is running, including when it was already started.</returns>
    public static bool Start() => Start(new ColdmodTracingOptions());

    /// <summary>
    /// Sets the app's srcs on the server and starts the background sender; settings not given are read from the environment.
    /// Never throws: a missing or invalid setting is reported in one line on standard error and the app runs untraced.
    /// </summary>
    /// <param name="options">Settings that override the environment.</param>
    /// <returns>True when the sender is running, including when it was already started.</returns>
    public static bool Start(ColdmodTracingOptions options)
    {
        // Where calls are not counted the runtime has already said why, in one line; the sender and its gRPC client are
        // in another method so that they are not even compiled there.
        return RuntimeSupport.IsTraced && StartSender(options);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool StartSender(ColdmodTracingOptions options)
    {
        try
        {
            lock (s_gate)
            {
                if (s_sender is not null)
                {
                    return true;
                }

                var settings = SenderSettings.Resolve(options ?? new ColdmodTracingOptions(), Environment.GetEnvironmentVariable, out var problem);
                if (settings is null)
                {
                    RuntimeLog.Report(problem!);
                    return false;
                }

                var sender = new Sender(settings, sweep => ColdmodModules.DrainAll(sweep),
                    () => AppSrcs.Collect(ColdmodModules.Modules, AppContext.BaseDirectory));
                AppDomain.CurrentDomain.ProcessExit += (_, _) => StopForExit();
                sender.Start();
                Volatile.Write(ref s_sender, sender);
                return true;
            }
        }
        catch (Exception e)
        {
            RuntimeLog.Report($"tracing did not start: {e.Message.ReplaceLineEndings(" ")}");
            return false;
        }
    }

    // The bounded final flush; the first caller at exit does it, whether this handler or offline export's.
    internal static void StopForExit()
    {
        try
        {
            Current?.Stop();
        }
        catch (Exception e)
        {
            RuntimeLog.Report($"the final flush failed: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
