using System.Reflection;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>Calls into a corpus loaded in its own load context, where its types are not known at compile time.</summary>
internal static class Reflect
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    public static Type Type(Assembly assembly, string name) =>
        assembly.GetType(name, throwOnError: true)!;

    public static object? Static(Assembly assembly, string type, string method, params object?[] args) =>
        Method(Type(assembly, type), method, args).Invoke(null, args);

    public static object? Static(Assembly assembly, string type, string method, Type[] parameterTypes, params object?[] args) =>
        Type(assembly, type).GetMethod(method, Everything, parameterTypes)!.Invoke(null, args);

    public static object? Instance(object target, string method, params object?[] args) =>
        Method(target.GetType(), method, args).Invoke(target, args);

    public static object New(Assembly assembly, string type, params object?[] args) =>
        Activator.CreateInstance(Type(assembly, type), args)!;

    /// <summary>Runs <paramref name="action"/>, unwrapping the reflection wrapper from what it throws.</summary>
    public static Exception Catch(Action action)
    {
        try
        {
            action();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            return e.InnerException;
        }
        catch (Exception e)
        {
            return e;
        }

        throw new Xunit.Sdk.XunitException("Expected an exception.");
    }

    private static MethodInfo Method(Type type, string name, object?[] args)
    {
        var candidates = type.GetMethods(Everything).Where(m => m.Name == name && m.GetParameters().Length == args.Length).ToList();
        return candidates.Count == 1
            ? candidates[0]
            : throw new InvalidOperationException($"{type}.{name} with {args.Length} arguments is ambiguous or missing ({candidates.Count} candidates).");
    }
}
