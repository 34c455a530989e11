using System;
using System.Runtime.InteropServices;

namespace Shop.Infrastructure;

/// <summary>Owns unmanaged memory; the finalizer is the safety net when Dispose is forgotten.</summary>
public sealed unsafe class NativeBuffer : IDisposable
{
    private static readonly bool s_poison;
    private static int s_live = 0;

    private void* _memory;

    static NativeBuffer()
    {
        s_poison = Environment.GetEnvironmentVariable("SHOP_POISON_BUFFERS") == "1";
    }

    public NativeBuffer(int size)
    {
        Size = size;
        _memory = NativeMemory.AllocZeroed((nuint)size);
        if (s_poison)
        {
            Bytes.Fill(0xCD);
        }

        System.Threading.Interlocked.Increment(ref s_live);
    }

    public static int Live => s_live;

    ~NativeBuffer()
    {
        Release();
    }

    public int Size { get; }

    public Span<byte> Bytes => new(_memory, Size);

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        if (_memory != null)
        {
            NativeMemory.Free(_memory);
            _memory = null;
            System.Threading.Interlocked.Decrement(ref s_live);
        }
    }
}
