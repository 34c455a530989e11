using System.Collections.Immutable;
using System.Reflection.Metadata;
using Coldmod.Weaver.Internal;

namespace Coldmod.Cli.Codemods;

// Finds attributes that name a method by string (xunit's [MemberData(nameof(Cases))], NUnit's [TestCaseSource],
// [DynamicDependency]): no IL calls the method, yet something looks it up by name at run time. An attribute counts
// when it sits on the method's type or one of its members, or when it also names the type with typeof.
internal static class AttributeNameFinder
{
    public static IEnumerable<string> Find(IEnumerable<BuiltAssembly> assemblies, BuiltMethod method)
    {
        var name = method.Kind is MemberKind.Constructor or MemberKind.StaticConstructor ? null : method.Name;
        if (name is null)
        {
            yield break;
        }

        foreach (var assembly in assemblies)
        {
            var reader = assembly.Metadata;
            foreach (var handle in reader.CustomAttributes)
            {
                var attribute = reader.GetCustomAttribute(handle);
                if (IsDefaultMember(reader, attribute))
                {
                    continue;
                }

                CustomAttributeValue<string> value;
                try
                {
                    value = attribute.DecodeValue(AttributeValueProvider.Instance);
                }
                catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or ArgumentException)
                {
                    // An enum argument of a type from another assembly whose size is not int: not a string to look at.
                    continue;
                }

                var arguments = value.FixedArguments.Concat(value.NamedArguments.Select(a => new CustomAttributeTypedArgument<string>(a.Type, a.Value))).SelectMany(Flatten).ToList();
                if (!arguments.Any(a => a.Value is string s && s == name))
                {
                    continue;
                }

                var onType = string.Equals(assembly.Name, method.AssemblyName, StringComparison.Ordinal) &&
                    string.Equals(TargetType(reader, attribute.Parent), method.DeclaringType, StringComparison.Ordinal);
                var namesType = arguments.Any(a => a.Type == "System.Type" && a.Value is string t && TypeNameMatches(t, method.DeclaringType));
                if (onType || namesType)
                {
                    yield return $"an attribute in {Path.GetFileName(assembly.Path)} names it by string ('{name}'), so it is looked up at run time";
                    yield break;
                }
            }
        }
    }

    // The compiler's [DefaultMember("Item")] on every type with an indexer names the indexer, not a method to keep.
    private static bool IsDefaultMember(MetadataReader reader, CustomAttribute attribute)
    {
        if (attribute.Constructor.Kind != HandleKind.MemberReference)
        {
            return false;
        }

        var parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
        return parent.Kind == HandleKind.TypeReference &&
            reader.StringComparer.Equals(reader.GetTypeReference((TypeReferenceHandle)parent).Name, "DefaultMemberAttribute") &&
            reader.StringComparer.Equals(reader.GetTypeReference((TypeReferenceHandle)parent).Namespace, "System.Reflection");
    }

    private static IEnumerable<CustomAttributeTypedArgument<string>> Flatten(CustomAttributeTypedArgument<string> argument) =>
        argument.Value is ImmutableArray<CustomAttributeTypedArgument<string>> items ? items.SelectMany(Flatten) : [argument];

    // "Shop.Tests.Cases+Inner, Shop.Tests" against the ID name "Shop.Tests.Cases.Inner".
    private static bool TypeNameMatches(string serialized, string declaringType)
    {
        var comma = serialized.IndexOf(',', StringComparison.Ordinal);
        var name = (comma < 0 ? serialized : serialized[..comma]).Trim().Replace('+', '.');
        return string.Equals(name, declaringType, StringComparison.Ordinal);
    }

    private static string? TargetType(MetadataReader reader, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeDefinition => Name(reader, (TypeDefinitionHandle)parent),
        HandleKind.MethodDefinition => Name(reader, reader.GetMethodDefinition((MethodDefinitionHandle)parent).GetDeclaringType()),
        HandleKind.FieldDefinition => Name(reader, reader.GetFieldDefinition((FieldDefinitionHandle)parent).GetDeclaringType()),
        HandleKind.PropertyDefinition => Name(reader, reader.GetMethodDefinition(reader.GetPropertyDefinition((PropertyDefinitionHandle)parent).GetAccessors().Getter is { IsNil: false } g ? g : reader.GetPropertyDefinition((PropertyDefinitionHandle)parent).GetAccessors().Setter).GetDeclaringType()),
        HandleKind.Parameter => null,
        _ => null,
    };

    private static string Name(MetadataReader reader, TypeDefinitionHandle handle) =>
        DocCommentIdProvider.TypeDefinitionName(reader, handle).Replace('+', '.');

    private sealed class AttributeValueProvider : ICustomAttributeTypeProvider<string>
    {
        public static AttributeValueProvider Instance { get; } = new();

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Name(reader, handle);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            DocCommentIdProvider.Display(DocCommentIdProvider.Instance.GetTypeFromReference(reader, handle, rawTypeKind));

        public string GetTypeFromSerializedName(string name) => name;

        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string type) => type == "System.Type";
    }
}
