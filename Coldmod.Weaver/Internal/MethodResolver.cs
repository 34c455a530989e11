using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Coldmod.Weaver.Internal;

/// <summary>Resolves a method token of an IL operand to a method defined in the same assembly, or names an external one.</summary>
internal static class MethodResolver
{
    public static MethodDefinitionHandle? Resolve(MetadataReader reader, EntityHandle token)
    {
        switch (token.Kind)
        {
            case HandleKind.MethodDefinition:
                return (MethodDefinitionHandle)token;
            case HandleKind.MethodSpecification:
                return Resolve(reader, reader.GetMethodSpecification((MethodSpecificationHandle)token).Method);
            case HandleKind.MemberReference:
                var reference = reader.GetMemberReference((MemberReferenceHandle)token);
                if (reference.GetKind() != MemberReferenceKind.Method || DefinedType(reader, reference.Parent) is not { } type)
                {
                    return null;
                }

                // A member of a generic instantiation of a type of ours (a display class of a generic method); the
                // compiler's names are unique there, and a user's overloads differ in their signature blob.
                var signature = reader.GetBlobBytes(reference.Signature);
                MethodDefinitionHandle? byName = null;
                foreach (var handle in reader.GetTypeDefinition(type).GetMethods())
                {
                    var method = reader.GetMethodDefinition(handle);
                    if (reader.StringComparer.Equals(method.Name, reader.GetString(reference.Name)))
                    {
                        if (reader.GetBlobBytes(method.Signature).AsSpan().SequenceEqual(signature))
                        {
                            return handle;
                        }

                        byName ??= handle;
                    }
                }

                return byName;
            default:
                return null;
        }
    }

    /// <summary>The name of a method of another assembly, or null when the token names one of ours.</summary>
    public static string? ExternalName(MetadataReader reader, EntityHandle token) => token.Kind switch
    {
        HandleKind.MethodSpecification => ExternalName(reader, reader.GetMethodSpecification((MethodSpecificationHandle)token).Method),
        HandleKind.MemberReference when reader.GetMemberReference((MemberReferenceHandle)token) is var reference &&
            DefinedType(reader, reference.Parent) is null => reader.GetString(reference.Name),
        _ => null,
    };

    private static TypeDefinitionHandle? DefinedType(MetadataReader reader, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeDefinition => (TypeDefinitionHandle)parent,
        HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)parent).DecodeSignature(GenericTypeOf.Instance, null),
        _ => null,
    };

    // Decodes a type specification only as far as the type definition it instantiates.
    private sealed class GenericTypeOf : ISignatureTypeProvider<TypeDefinitionHandle?, object?>
    {
        public static GenericTypeOf Instance { get; } = new();

        public TypeDefinitionHandle? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => handle;

        public TypeDefinitionHandle? GetGenericInstantiation(TypeDefinitionHandle? genericType, ImmutableArray<TypeDefinitionHandle?> typeArguments) => genericType;

        public TypeDefinitionHandle? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => null;

        public TypeDefinitionHandle? GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => null;

        public TypeDefinitionHandle? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;

        public TypeDefinitionHandle? GetSZArrayType(TypeDefinitionHandle? elementType) => null;

        public TypeDefinitionHandle? GetArrayType(TypeDefinitionHandle? elementType, ArrayShape shape) => null;

        public TypeDefinitionHandle? GetByReferenceType(TypeDefinitionHandle? elementType) => null;

        public TypeDefinitionHandle? GetPointerType(TypeDefinitionHandle? elementType) => null;

        public TypeDefinitionHandle? GetPinnedType(TypeDefinitionHandle? elementType) => null;

        public TypeDefinitionHandle? GetModifiedType(TypeDefinitionHandle? modifier, TypeDefinitionHandle? unmodifiedType, bool isRequired) => unmodifiedType;

        public TypeDefinitionHandle? GetFunctionPointerType(MethodSignature<TypeDefinitionHandle?> signature) => null;

        public TypeDefinitionHandle? GetGenericTypeParameter(object? genericContext, int index) => null;

        public TypeDefinitionHandle? GetGenericMethodParameter(object? genericContext, int index) => null;
    }
}
