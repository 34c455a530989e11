namespace Coldmod.Runtime.Tests;

internal static class Probe
{
    // What a woven probe does, without a probe class of its own.
    public static void Hit(ModuleCounters module, int index, int times)
    {
        var counts = module.AttachThread();
        for (var i = 0; i < times; i++)
        {
            counts[index]++;
            if (module.DirtyFlags[index] == 0)
            {
                module.MarkDirty(index);
            }
        }
    }
}
