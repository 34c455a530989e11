using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Coldmod.Runtime.Internal.Polyfills;

// netstandard2.0 only: OperatingSystem, Environment, Path, File and FileSystemInfo members of .NET Core 3+ and 5+. Where
// the process runs on .NET Core the real member is there at run time and is called through reflection, so the behaviour
// is .NET's own; the fallbacks serve runtimes that lack it.
internal static class PlatformPolyfills
{
    private static readonly Lazy<int> s_processId = new(() =>
    {
        using var process = Process.GetCurrentProcess();
        return process.Id;
    });

    private static readonly PropertyInfo? s_linkTarget = typeof(FileSystemInfo).GetProperty("LinkTarget");

    private static readonly Action<string, string, bool>? s_moveOverwriting = BindMoveOverwriting();

    extension(OperatingSystem)
    {
        public static bool IsWindows() => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static bool IsLinux() => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        public static bool IsAndroid() => RuntimeInformation.IsOSPlatform(OSPlatform.Create("ANDROID"));
    }

    extension(Environment)
    {
        public static int ProcessId => s_processId.Value;
    }

    extension(Path)
    {
        public static string GetFullPath(string path, string basePath) =>
            Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(basePath, path));
    }

    extension(File)
    {
        public static void Move(string sourceFileName, string destFileName, bool overwrite)
        {
            if (s_moveOverwriting is { } move)
            {
                move(sourceFileName, destFileName, overwrite);
            }
            else if (overwrite && File.Exists(destFileName))
            {
                File.Replace(sourceFileName, destFileName, destinationBackupFileName: null);
            }
            else
            {
                File.Move(sourceFileName, destFileName);
            }
        }
    }

    extension(FileSystemInfo info)
    {
        // Null where the runtime cannot tell (before .NET 6), as for a file that is no link.
        public string? LinkTarget => s_linkTarget?.GetValue(info) as string;
    }

    private static Action<string, string, bool>? BindMoveOverwriting()
    {
        var method = typeof(File).GetMethod(nameof(File.Move), [typeof(string), typeof(string), typeof(bool)]);
        return method is null ? null : (Action<string, string, bool>)Delegate.CreateDelegate(typeof(Action<string, string, bool>), method);
    }
}
