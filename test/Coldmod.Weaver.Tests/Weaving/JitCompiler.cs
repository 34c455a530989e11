using System.Reflection;
using System.Runtime.CompilerServices;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>
/// Forces the JIT over every method with a body, closing generic ones over types their constraints
/// accept: invalid IL throws InvalidProgramException here (ILVerify is not available, so this is the
/// IL validity check).
/// </summary>
internal static class JitCompiler
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    private static readonly Type[] s_candidates = [typeof(object), typeof(int), typeof(string), typeof(Guid), typeof(List<int>), typeof(DateTime)];

    /// <summary>Compiles everything and returns how many methods were compiled; failures are collected and thrown together.</summary>
    public static int CompileAll(Assembly assembly)
    {
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

                try
                {
                    Compile(type, method);
                    compiled++;
                }
                catch (Exception e) when (e is InvalidProgramException or BadImageFormatException or TypeLoadException or MissingMethodException or NotSupportedException)
                {
                    failures.Add($"{type.FullName}::{method}: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        if (failures.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"{failures.Count} methods do not compile:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        }

        return compiled;
    }

    private static void Compile(Type type, MethodBase method)
    {
        var typeArguments = type.ContainsGenericParameters ? Close(type.GetGenericArguments()) : null;
        var methodArguments = method.IsGenericMethodDefinition ? Close(method.GetGenericArguments()) : null;
        if (typeArguments is null && methodArguments is null)
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
            return;
        }

        var closedType = typeArguments is null ? type : type.MakeGenericType(typeArguments);
        var closed = MethodBase.GetMethodFromHandle(method.MethodHandle, closedType.TypeHandle)!;
        if (closed is MethodInfo info && methodArguments is not null)
        {
            closed = info.MakeGenericMethod(methodArguments);
        }

        RuntimeHelpers.PrepareMethod(
            closed.MethodHandle,
            [.. (typeArguments ?? []).Concat(methodArguments ?? []).Select(t => t.TypeHandle)]);
    }

    private static Type[] Close(Type[] parameters)
    {
        var chosen = new Type[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            chosen[i] = s_candidates.FirstOrDefault(candidate => Satisfies(parameters[i], candidate))
                ?? throw new NotSupportedException($"no candidate type satisfies the constraints of {parameters[i].Name}");
        }

        return chosen;
    }

    private static bool Satisfies(Type parameter, Type candidate)
    {
        var attributes = parameter.GenericParameterAttributes;
        if (attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint) && !candidate.IsValueType)
        {
            return false;
        }

        if (attributes.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint) && candidate.IsValueType)
        {
            return false;
        }

        if (attributes.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint) && !candidate.IsValueType && candidate.GetConstructor(Type.EmptyTypes) is null)
        {
            return false;
        }

        return parameter.GetGenericParameterConstraints().All(constraint =>
            !constraint.ContainsGenericParameters ? constraint.IsAssignableFrom(candidate) : ClosesOver(constraint, candidate));
    }

    // A constraint such as IComparable<T> is satisfied when the candidate implements it closed over itself.
    private static bool ClosesOver(Type constraint, Type candidate)
    {
        if (!constraint.IsGenericType)
        {
            return false;
        }

        try
        {
            var closed = constraint.GetGenericTypeDefinition().MakeGenericType(constraint.GetGenericArguments().Select(a => a.IsGenericParameter ? candidate : a).ToArray());
            return closed.IsAssignableFrom(candidate);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
