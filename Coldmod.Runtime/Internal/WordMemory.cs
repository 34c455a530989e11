using System.Runtime.InteropServices;

namespace Coldmod.Runtime.Internal;

/// <summary>
/// Where the probes' words live: below 2 GB when the platform grants it, so that a word's address fits a signed 32-bit
/// displacement. The x64 JIT then folds it into the compare (<c>cmp qword ptr [0x10000040], 0</c>) instead of first
/// loading a 64-bit constant into a register: one instruction, no register taken from the method a probe is inlined
/// into, and about 10 bytes less code per probe. Elsewhere, or when no low range is free, native memory anywhere. The
/// memory is never freed: the registry keeps every module for the life of the process.
/// </summary>
internal static unsafe class WordMemory
{
    private const long Limit = 0x8000_0000;
    private const long FirstHint = 0x1000_0000;
    private const long HintStep = 0x0400_0000;

    // Windows hands out memory in 64 KB steps; one chunk holds the words of many modules (8 bytes a method).
    private const int ChunkBytes = 1 << 20;

    // Each module's words start on their own cache line, so two modules' probes never share one.
    private const int Alignment = 64;

    private static readonly object s_gate = new();
    private static long s_next;
    private static long s_end;

    /// <summary>Zeroed memory for <paramref name="count"/> words.</summary>
    public static long* Allocate(int count) => Allocate(count, MapLow);

    internal static long* Allocate(int count, Func<long, long> mapLow)
    {
        long bytes = Math.Max(count, 1) * (long)sizeof(long);
        bytes = (bytes + Alignment - 1) / Alignment * Alignment;
        lock (s_gate)
        {
            if (s_end - s_next < bytes)
            {
                var size = Math.Max(ChunkBytes, (bytes + ChunkBytes - 1) / ChunkBytes * ChunkBytes);
                var chunk = mapLow(size);
                if (chunk == 0)
                {
                    return Anywhere(bytes);
                }

                s_next = chunk;
                s_end = chunk + size;
            }

            var words = s_next;
            s_next += bytes;
            return (long*)words;
        }
    }

    /// <summary>Whether <paramref name="words"/> is addressable as a signed 32-bit displacement.</summary>
    public static bool IsLow(long* words) => (long)words > 0 && (long)words < Limit;

    private static long* Anywhere(long bytes)
    {
        var words = (byte*)Marshal.AllocHGlobal((IntPtr)bytes);
        for (long i = 0; i < bytes; i++)
        {
            words[i] = 0;
        }

        return (long*)words;
    }

    // A fresh, zeroed, read-write range of `size` bytes ending below 2 GB, or 0. Only a hint is given to the OS, never a
    // fixed address, so nothing mapped already can be replaced; a range the OS put elsewhere is given back.
    private static long MapLow(long size)
    {
        if (!Environment.Is64BitProcess)
        {
            return 0;
        }

        try
        {
            for (var hint = FirstHint; hint + size <= Limit; hint += HintStep)
            {
                var range = Map(hint, size);
                if (range != 0 && range + size <= Limit)
                {
                    return range;
                }

                if (range != 0)
                {
                    Unmap(range, size);
                }
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }

        return 0;
    }

    private static long Map(long hint, long size)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return (long)NativeMethods.VirtualAlloc((IntPtr)hint, (UIntPtr)(ulong)size, NativeMethods.MemCommitReserve, NativeMethods.PageReadWrite);
        }

        var anonymous = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? NativeMethods.MapAnonymousLinux
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? NativeMethods.MapAnonymousBsd
            : 0;
        if (anonymous == 0)
        {
            return 0;
        }

        var range = (long)NativeMethods.mmap((IntPtr)hint, (UIntPtr)(ulong)size, NativeMethods.ProtReadWrite, NativeMethods.MapPrivate | anonymous, -1, IntPtr.Zero);
        return range == -1 ? 0 : range;
    }

    private static void Unmap(long range, long size)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            NativeMethods.VirtualFree((IntPtr)range, UIntPtr.Zero, NativeMethods.MemRelease);
        }
        else
        {
            NativeMethods.munmap((IntPtr)range, (UIntPtr)(ulong)size);
        }
    }

    private static class NativeMethods
    {
        public const int ProtReadWrite = 0x3;
        public const int MapPrivate = 0x02;
        public const int MapAnonymousLinux = 0x20;
        public const int MapAnonymousBsd = 0x1000;
        public const uint MemCommitReserve = 0x3000;
        public const uint MemRelease = 0x8000;
        public const uint PageReadWrite = 0x04;

        [DllImport("libc", SetLastError = true)]
        public static extern IntPtr mmap(IntPtr address, UIntPtr length, int protection, int flags, int fd, IntPtr offset);

        [DllImport("libc", SetLastError = true)]
        public static extern int munmap(IntPtr address, UIntPtr length);

        [DllImport("kernel32", SetLastError = true)]
        public static extern IntPtr VirtualAlloc(IntPtr address, UIntPtr size, uint type, uint protection);

        [DllImport("kernel32", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool VirtualFree(IntPtr address, UIntPtr size, uint type);
    }
}
