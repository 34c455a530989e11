using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Coldmod.Weaver.Internal;

/// <summary>
/// Labels the methods of a gRPC service implementation: overrides of a base class that Grpc.Tools generated
/// (marked <c>[BindServiceMethod]</c>), named <c>gRPC package.Service/Method</c> after the service name the
/// generated code holds in <c>__ServiceName</c>.
/// </summary>
internal static class GrpcServices
{
    public static IEnumerable<(MethodDefinitionHandle, string)> Find(MetadataReader reader, PEReader peReader, TypeDefinitionHandle typeHandle)
    {
        var type = reader.GetTypeDefinition(typeHandle);
        if (type.BaseType.Kind != HandleKind.TypeDefinition)
        {
            yield break;
        }

        var baseHandle = (TypeDefinitionHandle)type.BaseType;
        var baseType = reader.GetTypeDefinition(baseHandle);
        if (!baseType.GetCustomAttributes().Any(a => AttributeReader.TypeOf(reader, reader.GetCustomAttribute(a)) == ("Grpc.Core", "BindServiceMethodAttribute")))
        {
            yield break;
        }

        var serviceName = ServiceName(reader, peReader, baseType.GetDeclaringType()) ?? reader.GetString(baseType.Name);
        var overridable = baseType.GetMethods()
            .Select(reader.GetMethodDefinition)
            .Where(m => (m.Attributes & MethodAttributes.Virtual) != 0)
            .Select(m => reader.GetString(m.Name))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var handle in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(handle);
            var name = reader.GetString(method.Name);
            if ((method.Attributes & (MethodAttributes.Virtual | MethodAttributes.NewSlot)) == MethodAttributes.Virtual && overridable.Contains(name))
            {
                yield return (handle, $"gRPC {serviceName}/{name}");
            }
        }
    }

    // The generated class assigns its service name in its static constructor: ldstr "pkg.Service"; stsfld __ServiceName.
    private static string? ServiceName(MetadataReader reader, PEReader peReader, TypeDefinitionHandle serviceClass)
    {
        if (serviceClass.IsNil)
        {
            return null;
        }

        foreach (var handle in reader.GetTypeDefinition(serviceClass).GetMethods())
        {
            var method = reader.GetMethodDefinition(handle);
            if (!reader.StringComparer.Equals(method.Name, ".cctor") || method.RelativeVirtualAddress == 0)
            {
                continue;
            }

            string? text = null;
            foreach (var instruction in IlDecoder.Decode(peReader.GetMethodBody(method.RelativeVirtualAddress)))
            {
                if (instruction.OpCode == OpCodes.Ldstr)
                {
                    text = reader.GetUserString(MetadataTokens.UserStringHandle(instruction.Token));
                }
                else if (instruction.OpCode == OpCodes.Stsfld && text is not null &&
                    MetadataTokens.EntityHandle(instruction.Token) is { Kind: HandleKind.FieldDefinition } field &&
                    reader.StringComparer.Equals(reader.GetFieldDefinition((FieldDefinitionHandle)field).Name, "__ServiceName"))
                {
                    return text;
                }
                else
                {
                    text = null;
                }
            }
        }

        return null;
    }
}
