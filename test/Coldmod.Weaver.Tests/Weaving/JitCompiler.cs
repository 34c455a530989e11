using System.Reflection;
using System.Runtime.CompilerServices;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>
/// Forces the JIT over every method with a body, closing generic ones over types their constraints
/// accept: invalid IL throws InvalidProgramException here (ILVerify is not available, so this is the
/// IL validity check). A method that fails the same way in the unwoven assembly (a vararg method, which
/// this runtime cannot compile on Linux at all) is not the weaver's doing and is not reported.
/// </summary>
internal static class JitCompiler
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
    private const int MaxTries = 20_000;

    private static readonly Type[] s_commonTypes = [typeof(object), typeof(int), typeof(string), typeof(Guid), typeof(List<int>), typeof(DateTime)];

    /// <summary>Compiles everything and returns how many methods were compiled; failures are collected and thrown together.</summary>
    public static int CompileAll(Assembly assembly, Assembly? unwoven = null)
    {
        var candidates = s_commonTypes.Concat(assembly.GetTypes().Where(t => !t.ContainsGenericParameters && !t.IsByRefLike && !t.IsPointer)).ToArray();
        var compiled = 0;
        var failures = new List<string>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                if (method.GetMethodBody() is null)
                {
                    continue;
                }

                var error = TryCompile(type, method, candidates);
                if (error is null)
                {
                    compiled++;
                }
                else if (unwoven is null || !FailsTheSameWayUnwoven(unwoven, type, method, error))
                {
                    failures.Add($"{type.FullName}::{method}: {error.GetType().Name}: {error.Message}");
                }
            }
        }

        if (failures.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"{failures.Count} methods do not compile:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        }

        return compiled;
    }

    private static bool FailsTheSameWayUnwoven(Assembly unwoven, Type type, MethodBase method, Exception error)
    {
        var twinType = unwoven.GetType(type.FullName!, throwOnError: true)!;
        var twin = twinType.GetMethods(Declared).Cast<MethodBase>().Concat(twinType.GetConstructors(Declared))
            .Single(m => m.ToString() == method.ToString());
        var candidates = s_commonTypes.Concat(unwoven.GetTypes().Where(t => !t.ContainsGenericParameters && !t.IsByRefLike && !t.IsPointer)).ToArray();
        return TryCompile(twinType, twin, candidates)?.GetType() == error.GetType();
    }

    private static Exception? TryCompile(Type type, MethodBase method, Type[] candidates)
    {
        try
        {
            Compile(type, method, candidates);
            return null;
        }
        catch (Exception e) when (e is InvalidProgramException or BadImageFormatException or TypeLoadException or MissingMethodException or NotSupportedException)
        {
            return e;
        }
    }

    private static void Compile(Type type, MethodBase method, Type[] candidates)
    {
        if (!type.ContainsGenericParameters && !method.IsGenericMethodDefinition)
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
            return;
        }

        var closedType = type.ContainsGenericParameters
            ? type.MakeGenericType(Close(type.GetGenericArguments().Length, args => type.MakeGenericType(args), candidates, type.Name))
            : type;
        var closed = MethodBase.GetMethodFromHandle(method.MethodHandle, closedType.TypeHandle)!;
        if (closed is MethodInfo info && info.IsGenericMethodDefinition)
        {
            closed = info.MakeGenericMethod(Close(info.GetGenericArguments().Length, args => info.MakeGenericMethod(args), candidates, info.Name));
        }

        var instantiation = closedType.GetGenericArguments().Concat(closed.IsGenericMethod ? closed.GetGenericArguments() : []);
        RuntimeHelpers.PrepareMethod(closed.MethodHandle, [.. instantiation.Select(t => t.TypeHandle)]);
    }

    // The runtime checks constraints (including ones between parameters) when closing a generic; the
    // first combination it accepts is used, trying common types first, then the assembly's own types.
    private static Type[] Close(int arity, Action<Type[]> close, Type[] candidates, string name)
    {
        var indices = new int[arity];
        for (var tries = 0; tries < MaxTries; tries++)
        {
            var args = indices.Select(i => candidates[i]).ToArray();
            try
            {
                close(args);
                return args;
            }
            catch (ArgumentException)
            {
            }

            for (var position = 0; ; position++)
            {
                if (position == arity)
                {
                    tries = MaxTries;
                    break;
                }

                if (++indices[position] < candidates.Length)
                {
                    break;
                }

                indices[position] = 0;
            }
        }

        throw new NotSupportedException($"no candidate types satisfy the constraints of {name}");
    }
}
