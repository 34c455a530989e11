namespace Coldmod.Runtime.Tests;

internal static class Probe
{
    // What a woven probe does, without a probe class of its own.
    public static void Hit(ModuleCounters module, int index, int times)
    {
        for (var i = 0; i < times; i++)
        {
            module.Hit(index);
        }
    }
}
