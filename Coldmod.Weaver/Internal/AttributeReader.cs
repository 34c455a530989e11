using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Coldmod.Weaver.Internal;

/// <summary>Reads the names and string arguments of custom attributes, without loading their types.</summary>
internal static class AttributeReader
{
    public static (string Namespace, string Name) TypeOf(MetadataReader reader, CustomAttribute attribute) => attribute.Constructor.Kind switch
    {
        HandleKind.MemberReference => TypeName(reader, reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent),
        HandleKind.MethodDefinition => TypeName(reader, reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType()),
        _ => ("", ""),
    };

    public static (string Namespace, string Name) TypeName(MetadataReader reader, EntityHandle type) => type.Kind switch
    {
        HandleKind.TypeReference when reader.GetTypeReference((TypeReferenceHandle)type) is var reference =>
            (reader.GetString(reference.Namespace), reader.GetString(reference.Name)),
        HandleKind.TypeDefinition when reader.GetTypeDefinition((TypeDefinitionHandle)type) is var definition =>
            (reader.GetString(definition.Namespace), reader.GetString(definition.Name)),
        _ => ("", ""),
    };

    /// <summary>The first fixed argument when it is a string, or the named argument <paramref name="named"/>; else null.</summary>
    public static string? StringArgument(MetadataReader reader, CustomAttribute attribute, string named)
    {
        CustomAttributeValue<string?> value;
        try
        {
            value = attribute.DecodeValue(StringsOnly.Instance);
        }
        catch (Exception e) when (e is BadImageFormatException or NotSupportedException or InvalidOperationException)
        {
            // An argument of an enum type from another assembly cannot be decoded without loading it; not ours.
            return null;
        }

        if (value.FixedArguments.Length > 0 && value.FixedArguments[0].Value is string text)
        {
            return text;
        }

        return value.NamedArguments.Where(a => a.Name == named).Select(a => a.Value as string).FirstOrDefault();
    }

    private sealed class StringsOnly : ICustomAttributeTypeProvider<string?>
    {
        public static StringsOnly Instance { get; } = new();

        public string? GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string? GetSystemType() => "System.Type";

        public string? GetSZArrayType(string? elementType) => elementType + "[]";

        public string? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);

        public string? GetTypeFromSerializedName(string name) => name;

        // Enums of other assemblies are read as 32-bit: the attributes read here take none before their strings.
        public PrimitiveTypeCode GetUnderlyingEnumType(string? type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string? type) => type == "System.Type";

        public string? GetGenericInstantiation(string? genericType, ImmutableArray<string?> typeArguments) => genericType;
    }
}
