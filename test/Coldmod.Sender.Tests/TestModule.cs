using Coldmod.Runtime;
using System.Globalization;
using Coldmod.Runtime.Internal;

namespace Coldmod.Sender.Tests;

// A registered module (exact counting) with a probe that does what the woven one does (count down the method's word
// while it is positive), without the woven statics, so each test gets fresh counters.
internal sealed class TestModule
{
    private readonly ModuleCounters _counters;

    public TestModule(string name, int methods)
    {
        Keys = [.. Enumerable.Range(0, methods).Select(i => $"Coldmod.Sender.Tests.{name}.M{i.ToString(CultureInfo.InvariantCulture)}")];
        _counters = ColdmodModules.Register(name, Keys);
    }

    public TestModule(ModuleCounters counters)
    {
        _counters = counters;
        Keys = counters.Keys;
    }

    public IReadOnlyList<string> Keys { get; }

    public ModuleCounters Counters => _counters;

    public List<SrcEntry> Srcs => [.. Keys.Select((key, i) => new SrcEntry(key, "src/Test.cs", i + 1))];

    public void Hit(int index) => _counters.Hit(index);

    public IReadOnlyList<HitCount> Drain(bool sweep) => _counters.Drain(sweep);
}
