namespace Coldmod.Runtime.Tests;

internal static class FakeKeys
{
    public static string[] For(string moduleName, int methodCount) =>
        [.. Enumerable.Range(0, methodCount).Select(i => $"{moduleName}.M{i}(System.Int32)")];
}
