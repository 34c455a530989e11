namespace Coldmod.Runtime.Tests;

// Names a fake module: one spec type per test gives each test a module of its own.
internal interface IFakeModuleSpec
{
    public static abstract string Name { get; }

    public static abstract IReadOnlyList<string> Keys { get; }
}
