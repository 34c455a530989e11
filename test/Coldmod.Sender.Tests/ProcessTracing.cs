using System.Reflection;
using Coldmod.Runtime;

namespace Coldmod.Sender.Tests;

// ColdmodTracing.Start starts once per process by design, and a stopped sender still counts as started; tests that go
// through Start forget it before and after, so each one meets Start as a fresh process would.
internal static class ProcessTracing
{
    private static readonly FieldInfo s_sender = typeof(ColdmodTracing).GetField("s_sender", BindingFlags.NonPublic | BindingFlags.Static)
        ?? throw new InvalidOperationException("ColdmodTracing has no s_sender field to reset; update ProcessTracing.");

    public static void Forget()
    {
        ColdmodTracing.StopForExit();
        s_sender.SetValue(null, null);
    }
}
