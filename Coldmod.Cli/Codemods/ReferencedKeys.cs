using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Text;
using Coldmod.Weaver.Internal;

namespace Coldmod.Cli.Codemods;

// The method an instruction names, as (assembly, documentation comment ID): a method of the same assembly by its
// definition; one of another assembly (or of a generic type instance) by the member reference, keyed exactly as the
// scanner keys the definition it resolves to.
internal static class ReferencedKeys
{
    public static (string Assembly, string Id)? For(BuiltAssembly assembly, int token)
    {
        var reader = assembly.Metadata;
        var handle = MetadataTokens.EntityHandle(token);
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                return (assembly.Name, MethodKeys.For(reader, (MethodDefinitionHandle)handle));
            case HandleKind.MethodSpecification:
                return For(assembly, MetadataTokens.GetToken(reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method));
            case HandleKind.MemberReference:
                var reference = reader.GetMemberReference((MemberReferenceHandle)handle);
                if (reference.GetKind() != MemberReferenceKind.Method)
                {
                    return null;
                }

                if (reference.Parent.Kind == HandleKind.MethodDefinition)
                {
                    // A vararg call site: the parent is the definition itself.
                    return For(assembly, MetadataTokens.GetToken(reference.Parent));
                }

                return Type(assembly, reference.Parent) is { } type ? (type.Assembly, Key(reader, type.Name, reference)) : null;
            default:
                return null;
        }
    }

    private static string Key(MetadataReader reader, string typeName, MemberReference reference)
    {
        var key = new StringBuilder(typeName).Append('.');
        var name = reader.GetString(reference.Name);
        key.Append(name.Replace('.', '#').Replace('<', '{').Replace('>', '}'));
        var signature = reference.DecodeMethodSignature(DocCommentIdProvider.Instance, null);
        if (signature.GenericParameterCount > 0)
        {
            key.Append("``").Append(signature.GenericParameterCount);
        }

        var isVararg = signature.Header.CallingConvention == SignatureCallingConvention.VarArgs;
        var parameters = signature.ParameterTypes.Take(signature.RequiredParameterCount).ToList();
        if (parameters.Count > 0 || isVararg)
        {
            key.Append('(').Append(string.Join(",", parameters.Select(DocCommentIdProvider.Display)));
            if (isVararg && parameters.Count > 0)
            {
                key.Append(',');
            }

            key.Append(')');
        }

        if (name is "op_Implicit" or "op_Explicit" or "op_CheckedExplicit")
        {
            key.Append('~').Append(DocCommentIdProvider.Display(signature.ReturnType));
        }

        return key.ToString();
    }

    // The declaring type's assembly and its ID name (generic arity kept, nesting with '.'); for a generic type
    // instance, its definition's.
    private static (string Assembly, string Name)? Type(BuiltAssembly assembly, EntityHandle parent)
    {
        var reader = assembly.Metadata;
        switch (parent.Kind)
        {
            case HandleKind.TypeDefinition:
                return (assembly.Name, DocCommentIdProvider.TypeDefinitionName(reader, (TypeDefinitionHandle)parent).Replace('+', '.'));
            case HandleKind.TypeReference:
                var name = DocCommentIdProvider.Display(DocCommentIdProvider.Instance.GetTypeFromReference(reader, (TypeReferenceHandle)parent, 0));
                return (ScopeAssembly(assembly, (TypeReferenceHandle)parent), name);
            case HandleKind.TypeSpecification:
                var blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
                if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
                {
                    return null;
                }

                _ = blob.ReadSignatureTypeCode();
                return Type(assembly, blob.ReadTypeHandle());
            default:
                return null;
        }
    }

    private static string ScopeAssembly(BuiltAssembly assembly, TypeReferenceHandle handle)
    {
        var reader = assembly.Metadata;
        var scope = reader.GetTypeReference(handle).ResolutionScope;
        return scope.Kind switch
        {
            HandleKind.AssemblyReference => reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name),
            HandleKind.TypeReference => ScopeAssembly(assembly, (TypeReferenceHandle)scope),
            _ => assembly.Name,
        };
    }
}
