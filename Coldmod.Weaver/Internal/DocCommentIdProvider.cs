using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Text;

namespace Coldmod.Weaver.Internal;

/// <summary>
/// Decodes signatures into the type names of documentation comment IDs, as Roslyn writes them.
/// Named types come back "raw" (marked, nesting as '+', arity suffixes kept) so that a generic
/// instantiation can hand each nesting level its own arguments; everything else is final text.
/// </summary>
internal sealed class DocCommentIdProvider : ISignatureTypeProvider<string, object?>
{
    private const char RawMarker = '\u0001';

    public static DocCommentIdProvider Instance { get; } = new();

    public static string Display(string type)
    {
        if (type.Length == 0 || type[0] != RawMarker)
        {
            return type;
        }

        return type[1..].Replace('+', '.');
    }

    public static string TypeDefinitionName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var definition = reader.GetTypeDefinition(handle);
        var name = TypeNames.SourceName(reader.GetString(definition.Name));
        var declaring = definition.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return TypeDefinitionName(reader, declaring) + "+" + name;
        }

        var ns = reader.GetString(definition.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Boolean => "System.Boolean",
        PrimitiveTypeCode.Byte => "System.Byte",
        PrimitiveTypeCode.SByte => "System.SByte",
        PrimitiveTypeCode.Char => "System.Char",
        PrimitiveTypeCode.Int16 => "System.Int16",
        PrimitiveTypeCode.UInt16 => "System.UInt16",
        PrimitiveTypeCode.Int32 => "System.Int32",
        PrimitiveTypeCode.UInt32 => "System.UInt32",
        PrimitiveTypeCode.Int64 => "System.Int64",
        PrimitiveTypeCode.UInt64 => "System.UInt64",
        PrimitiveTypeCode.Single => "System.Single",
        PrimitiveTypeCode.Double => "System.Double",
        PrimitiveTypeCode.IntPtr => "System.IntPtr",
        PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
        PrimitiveTypeCode.Object => "System.Object",
        PrimitiveTypeCode.String => "System.String",
        PrimitiveTypeCode.TypedReference => "System.TypedReference",
        PrimitiveTypeCode.Void => "System.Void",
        _ => throw new BadImageFormatException($"Unknown primitive type code {typeCode}."),
    };

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        RawMarker + TypeDefinitionName(reader, handle);

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
        RawMarker + TypeReferenceName(reader, handle);

    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public string GetSZArrayType(string elementType) => Display(elementType) + "[]";

    public string GetArrayType(string elementType, ArrayShape shape)
    {
        var text = new StringBuilder(Display(elementType)).Append('[');
        for (var dimension = 0; dimension < shape.Rank; dimension++)
        {
            if (dimension > 0)
            {
                text.Append(',');
            }

            var lower = dimension < shape.LowerBounds.Length ? shape.LowerBounds[dimension] : 0;
            text.Append(lower).Append(':');
            if (dimension < shape.Sizes.Length)
            {
                text.Append(shape.Sizes[dimension]);
            }
        }

        return text.Append(']').ToString();
    }

    public string GetByReferenceType(string elementType) => Display(elementType) + "@";

    public string GetPointerType(string elementType) => Display(elementType) + "*";

    public string GetPinnedType(string elementType) => elementType;

    // Roslyn ignores custom modifiers (e.g. the modreq(InAttribute) of 'in' parameters on virtual methods).
    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    // Roslyn writes nothing for a function pointer type, so overloads that differ only there share an ID.
    public string GetFunctionPointerType(MethodSignature<string> signature) => "";

    public string GetGenericTypeParameter(object? genericContext, int index) => "`" + index;

    public string GetGenericMethodParameter(object? genericContext, int index) => "``" + index;

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
    {
        var segments = genericType.TrimStart(RawMarker).Split('+');
        var text = new StringBuilder();
        var next = 0;
        for (var level = 0; level < segments.Length; level++)
        {
            if (level > 0)
            {
                text.Append('.');
            }

            var (name, arity) = TypeNames.SplitArity(segments[level]);
            text.Append(name);
            if (arity > 0)
            {
                text.Append('{');
                for (var i = 0; i < arity && next < typeArguments.Length; i++, next++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    text.Append(Display(typeArguments[next]));
                }

                text.Append('}');
            }
        }

        return text.ToString();
    }

    private static string TypeReferenceName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var reference = reader.GetTypeReference(handle);
        var name = TypeNames.SourceName(reader.GetString(reference.Name));
        if (reference.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return TypeReferenceName(reader, (TypeReferenceHandle)reference.ResolutionScope) + "+" + name;
        }

        var ns = reader.GetString(reference.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
