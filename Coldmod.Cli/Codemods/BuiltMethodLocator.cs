using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Coldmod.Weaver;
using Coldmod.Weaver.Internal;

namespace Coldmod.Cli.Codemods;

// Finds each key in the local builds: the methods it names (one per build that compiled it, as multi-targeted
// projects do), with their source lines from the PDB and what their metadata says about them.
internal static class BuiltMethodLocator
{
    public static IReadOnlyList<BuiltMethod> Locate(string key, IReadOnlyList<SrcScan> scans, BuildSet builds, List<string> problems)
    {
        var found = new List<BuiltMethod>();
        foreach (var scan in scans)
        {
            var src = scan.Srcs.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.Ordinal));
            if (src is null)
            {
                continue;
            }

            var assembly = builds.Get(scan.AssemblyPath);
            if (src.MethodToken == 0 || MetadataTokens.EntityHandle(src.MethodToken) is not { Kind: HandleKind.MethodDefinition } entity)
            {
                problems.Add($"{key}: {scan.AssemblyPath} does not say which method it is (rebuild, then try again).");
                continue;
            }

            found.Add(Describe(key, assembly, (MethodDefinitionHandle)entity));
        }

        return found;
    }

    public static BuiltMethod Describe(string key, BuiltAssembly assembly, MethodDefinitionHandle handle)
    {
        var reader = assembly.Metadata;
        var method = reader.GetMethodDefinition(handle);
        var metadataName = reader.GetString(method.Name);
        var lastDot = metadataName.LastIndexOf('.');
        var isConstructor = metadataName is ".ctor" or ".cctor";
        var isExplicit = !isConstructor && lastDot >= 0;
        var name = isExplicit ? metadataName[(lastDot + 1)..] : metadataName;

        var signature = method.DecodeSignature(DocCommentIdProvider.Instance, null);
        var special = (method.Attributes & MethodAttributes.SpecialName) != 0;
        var (kind, memberName) = Kind(name, special, signature.ParameterTypes.Length, method.Attributes);
        return new BuiltMethod(
            key,
            assembly.Name,
            DocCommentIdProvider.TypeDefinitionName(reader, method.GetDeclaringType()).Replace('+', '.'),
            MethodKeys.For(reader, handle),
            kind,
            memberName,
            isExplicit,
            signature.ParameterTypes.Length,
            method.GetGenericParameters().Count,
            assembly.SourcePoints(handle),
            Concerns(reader, handle, method));
    }

    private static (MemberKind Kind, string Name) Kind(string name, bool special, int parameterCount, MethodAttributes attributes)
    {
        if (name == ".ctor")
        {
            return (MemberKind.Constructor, name);
        }

        if (name == ".cctor")
        {
            return (MemberKind.StaticConstructor, name);
        }

        if (name == "Finalize" && parameterCount == 0 && (attributes & MethodAttributes.Virtual) != 0)
        {
            return (MemberKind.Finalizer, name);
        }

        if (special)
        {
            foreach (var (prefix, kind) in new[] { ("get_", MemberKind.Getter), ("set_", MemberKind.Setter), ("add_", MemberKind.Adder), ("remove_", MemberKind.Remover) })
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return (kind, name[prefix.Length..]);
                }
            }

            if (name is "op_Implicit" or "op_Explicit" or "op_CheckedExplicit")
            {
                return (MemberKind.Conversion, name);
            }

            if (name.StartsWith("op_", StringComparison.Ordinal))
            {
                return (MemberKind.Operator, name);
            }
        }

        return (MemberKind.Method, name);
    }

    // What the compiler leaves in metadata when a method takes part in dispatch: removing such a method changes which
    // method runs (an override) or breaks the type's contract (an interface member).
    private static List<string> Concerns(MetadataReader reader, MethodDefinitionHandle handle, MethodDefinition method)
    {
        var concerns = new List<string>();
        var attributes = method.Attributes;
        var isVirtual = (attributes & MethodAttributes.Virtual) != 0;
        var newSlot = (attributes & MethodAttributes.NewSlot) != 0;
        var type = reader.GetTypeDefinition(method.GetDeclaringType());
        var explicitImplementation = type.GetMethodImplementations()
            .Select(reader.GetMethodImplementation)
            .Any(i => i.MethodBody == handle);
        if (reader.GetString(method.Name) == "Finalize" && method.GetParameters().Count == 0)
        {
            // A finalizer overrides Object.Finalize (explicitly, in metadata), and removing it only stops the clean-up.
            return concerns;
        }

        if (isVirtual && !newSlot)
        {
            concerns.Add("it overrides a base class method, so calls would run the base one instead");
        }
        else if (explicitImplementation || (isVirtual && newSlot && (attributes & MethodAttributes.Final) != 0))
        {
            concerns.Add("it implements an interface member, so the type would no longer compile (or would fall back to a default implementation)");
        }
        else if (isVirtual && newSlot)
        {
            concerns.Add("it is virtual, so overrides in derived types would no longer compile");
        }

        return concerns;
    }
}
