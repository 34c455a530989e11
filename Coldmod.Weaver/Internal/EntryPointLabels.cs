using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Coldmod.Weaver.Internal;

/// <summary>
/// Finds, at build time, the methods that are entry points of the app and says what they are to the outside:
/// minimal-API handlers and controller actions by verb and route (<c>GET /todos/{id}</c>), gRPC service methods
/// (<c>gRPC greet.Greeter/SayHello</c>) and hosted services (<c>hosted service</c>).
/// </summary>
internal static class EntryPointLabels
{
    public const string HostedService = "hosted service";

    private static readonly string[] s_httpAttributes = ["HttpGet", "HttpPost", "HttpPut", "HttpDelete", "HttpPatch", "HttpHead", "HttpOptions"];

    public static bool IsRouteMethodName(string name) => MinimalApiRoutes.IsRouteMethodName(name);

    public static Dictionary<MethodDefinitionHandle, string> Find(
        MetadataReader reader,
        PEReader peReader,
        IEnumerable<MethodDefinitionHandle> routeCallers,
        IReadOnlyDictionary<MethodDefinitionHandle, MethodDefinitionHandle> kickoffs)
    {
        var labels = new Dictionary<MethodDefinitionHandle, List<string>>();
        void Add(MethodDefinitionHandle handle, string label)
        {
            if (!labels.TryGetValue(handle, out var list))
            {
                list = [];
                labels[handle] = list;
            }

            if (!list.Contains(label))
            {
                list.Add(label);
            }
        }

        foreach (var caller in routeCallers.OrderBy(h => System.Reflection.Metadata.Ecma335.MetadataTokens.GetToken(h)))
        {
            foreach (var (handler, label) in MinimalApiRoutes.Find(reader, peReader, caller))
            {
                Add(handler, label);
            }
        }

        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            if (DerivesFrom(reader, typeHandle, "Microsoft.AspNetCore.Mvc", "ControllerBase") || HasAttribute(reader, type.GetCustomAttributes(), "ApiControllerAttribute"))
            {
                foreach (var (action, label) in ControllerActions(reader, typeHandle))
                {
                    Add(action, label);
                }
            }

            var hostedEntry = DerivesFrom(reader, typeHandle, "Microsoft.Extensions.Hosting", "BackgroundService") ? "ExecuteAsync"
                : Implements(reader, type, "Microsoft.Extensions.Hosting", "IHostedService") ? "StartAsync"
                : null;
            if (hostedEntry is not null)
            {
                foreach (var method in type.GetMethods().Where(m => reader.StringComparer.Equals(reader.GetMethodDefinition(m).Name, hostedEntry)))
                {
                    Add(method, HostedService);
                }
            }

            foreach (var (method, label) in GrpcServices.Find(reader, peReader, typeHandle))
            {
                Add(method, label);
            }
        }

        return labels.ToDictionary(p => p.Key, p => string.Join(", ", p.Value));
    }

    private static IEnumerable<(MethodDefinitionHandle, string)> ControllerActions(MetadataReader reader, TypeDefinitionHandle typeHandle)
    {
        var type = reader.GetTypeDefinition(typeHandle);
        var typeName = TypeNames.SplitArity(reader.GetString(type.Name)).Name;
        var controllerName = typeName.EndsWith("Controller", StringComparison.Ordinal) ? typeName[..^"Controller".Length] : typeName;
        var classRoute = RouteTemplate(reader, typeHandle) ?? "";
        foreach (var handle in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(handle);
            if ((method.Attributes & (System.Reflection.MethodAttributes.Static | System.Reflection.MethodAttributes.SpecialName)) != 0 ||
                (method.Attributes & System.Reflection.MethodAttributes.MemberAccessMask) != System.Reflection.MethodAttributes.Public)
            {
                continue;
            }

            string? verb = null;
            string? template = null;
            var routed = false;
            foreach (var attributeHandle in method.GetCustomAttributes())
            {
                var attribute = reader.GetCustomAttribute(attributeHandle);
                var (ns, name) = AttributeReader.TypeOf(reader, attribute);
                if (ns != "Microsoft.AspNetCore.Mvc")
                {
                    continue;
                }

                var bare = name.EndsWith("Attribute", StringComparison.Ordinal) ? name[..^"Attribute".Length] : name;
                if (s_httpAttributes.Contains(bare))
                {
                    verb = bare[4..].ToUpperInvariant();
                    template ??= AttributeReader.StringArgument(reader, attribute, "Template");
                    routed = true;
                }
                else if (bare == "Route")
                {
                    template = AttributeReader.StringArgument(reader, attribute, "Template") ?? template;
                    routed = true;
                }
            }

            if (!routed)
            {
                continue;
            }

            var route = template is not null && (template.StartsWith('/') || template.StartsWith("~/", StringComparison.Ordinal))
                ? template.TrimStart('~')
                : RouteJoin.Combine(classRoute, template ?? "", leadingSlash: false);
            route = route.Replace("[controller]", controllerName, StringComparison.OrdinalIgnoreCase)
                .Replace("[action]", reader.GetString(method.Name), StringComparison.OrdinalIgnoreCase);
            yield return (handle, $"{verb ?? "ANY"} {route}");
        }
    }

    // The [Route] of the controller, or of the nearest base class of ours that has one.
    private static string? RouteTemplate(MetadataReader reader, TypeDefinitionHandle typeHandle)
    {
        for (EntityHandle current = typeHandle; current.Kind == HandleKind.TypeDefinition;)
        {
            var type = reader.GetTypeDefinition((TypeDefinitionHandle)current);
            foreach (var attributeHandle in type.GetCustomAttributes())
            {
                var attribute = reader.GetCustomAttribute(attributeHandle);
                if (AttributeReader.TypeOf(reader, attribute) == ("Microsoft.AspNetCore.Mvc", "RouteAttribute"))
                {
                    return AttributeReader.StringArgument(reader, attribute, "Template");
                }
            }

            current = type.BaseType;
        }

        return null;
    }

    public static bool DerivesFrom(MetadataReader reader, TypeDefinitionHandle typeHandle, string ns, string name)
    {
        var current = reader.GetTypeDefinition(typeHandle).BaseType;
        for (var depth = 0; depth < 64 && !current.IsNil; depth++)
        {
            if (AttributeReader.TypeName(reader, current) == (ns, name))
            {
                return true;
            }

            if (current.Kind != HandleKind.TypeDefinition)
            {
                return false;
            }

            current = reader.GetTypeDefinition((TypeDefinitionHandle)current).BaseType;
        }

        return false;
    }

    private static bool Implements(MetadataReader reader, TypeDefinition type, string ns, string name) =>
        type.GetInterfaceImplementations().Any(i => AttributeReader.TypeName(reader, reader.GetInterfaceImplementation(i).Interface) == (ns, name));

    private static bool HasAttribute(MetadataReader reader, CustomAttributeHandleCollection attributes, string name) =>
        attributes.Any(a => AttributeReader.TypeOf(reader, reader.GetCustomAttribute(a)).Name == name);
}
