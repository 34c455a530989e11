using System.Runtime.InteropServices;

namespace Coldmod.Runtime.Internal;

// Where calls are counted. The net8.0 build always runs on .NET 8+. The netstandard2.0 build, which a shared library
// references, may also run on .NET Framework, where the sender's gRPC client needs WinHttpHandler on recent Windows
// only and exact counting's process-wide barrier does not exist: there tracing is off, said once, and every woven
// module gets probes that never fire, so the app runs as it was built.
internal static class RuntimeSupport
{
    public const string UntracedFramework = ".NET Framework";

    private static readonly Lazy<bool> s_isTraced = new(() => Decide(Describe(), RuntimeLog.Report));

    // Lets a test stand for another runtime on its own thread; null everywhere else.
    [field: ThreadStatic]
    public static string? DescriptionForThisThread { get; set; }

    // Decided once per process; the first caller (a woven module's initializer, or ColdmodTracing.Start) reports.
    public static bool IsTraced => DescriptionForThisThread is { } description
        ? Decide(description, RuntimeLog.Report)
        : s_isTraced.Value;

    // The line to print when a runtime so described (RuntimeInformation.FrameworkDescription) is not traced; null when it is.
    public static string? UntracedReason(string frameworkDescription) =>
        frameworkDescription.StartsWith(UntracedFramework, StringComparison.Ordinal)
            ? $"tracing is off: this process runs on {frameworkDescription.Trim()}, and Coldmod counts calls only on .NET (Core) 3.0 or later; "
              + "the woven code runs as built, with its probes quiet. To trace it, run the app on .NET 8 or later, "
              + "or set <ColdmodWeave>false</ColdmodWeave> for the .NET Framework build to silence this line."
            : null;

    public static bool Decide(string frameworkDescription, Action<string> report)
    {
        if (UntracedReason(frameworkDescription) is { } reason)
        {
            report(reason);
            return false;
        }

        return true;
    }

    private static string Describe()
    {
        try
        {
            return RuntimeInformation.FrameworkDescription;
        }
        catch (Exception e) when (e is TypeLoadException or MissingMethodException or PlatformNotSupportedException)
        {
            // Before .NET Framework 4.7.1 the property may be missing altogether: that is .NET Framework too.
            return UntracedFramework + " (version unknown)";
        }
    }
}
