using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Coldmod.Weaver.Internal;

/// <summary>
/// Reads the routes a method maps with ASP.NET Core's minimal APIs (<c>MapGet(pattern, handler)</c> and its
/// siblings, with the constant prefixes of <c>MapGroup</c>) by following the values on the IL evaluation stack
/// through the method, its locals and its fields: strings, delegates to our methods, groups and arrays of verbs.
/// Straight-line set-up code is what it is for; a value it cannot follow is unknown and labels nothing.
/// </summary>
internal static class MinimalApiRoutes
{
    private const string ExtensionsType = "EndpointRouteBuilderExtensions";

    private static readonly Dictionary<string, string> s_verbs = new(StringComparer.Ordinal)
    {
        ["MapGet"] = "GET",
        ["MapPost"] = "POST",
        ["MapPut"] = "PUT",
        ["MapDelete"] = "DELETE",
        ["MapPatch"] = "PATCH",
        ["MapMethods"] = "",
        ["Map"] = "ANY",
    };

    public static bool IsRouteMethodName(string name) => name == "MapGroup" || s_verbs.ContainsKey(name);

    public static IEnumerable<(MethodDefinitionHandle Handler, string Label)> Find(MetadataReader reader, PEReader peReader, MethodDefinitionHandle method)
    {
        var definition = reader.GetMethodDefinition(method);
        if (definition.RelativeVirtualAddress == 0)
        {
            return [];
        }

        var body = peReader.GetMethodBody(definition.RelativeVirtualAddress);
        return new Simulation(reader).Run(IlDecoder.Decode(body), body);
    }

    private abstract record Value;

    private sealed record Unknown : Value
    {
        public static Unknown Instance { get; } = new();
    }

    private sealed record Text(string Content) : Value;

    private sealed record Function(MethodDefinitionHandle Target) : Value;

    private sealed record Handler(MethodDefinitionHandle Target) : Value;

    private sealed record Group(string Prefix) : Value;

    private sealed record Strings(string?[] Items) : Value;

    private sealed class Simulation(MetadataReader reader)
    {
        private readonly List<(MethodDefinitionHandle, string)> _found = [];
        private readonly Dictionary<long, Value> _locals = [];
        private readonly Dictionary<int, Value> _fields = [];
        private readonly Dictionary<int, List<Value>> _atTarget = [];
        private List<Value> _stack = [];

        public List<(MethodDefinitionHandle, string)> Run(List<IlInstruction> instructions, MethodBodyBlock body)
        {
            var handlers = body.ExceptionRegions.Select(r => r.HandlerOffset).ToHashSet();
            var fallsThrough = true;
            foreach (var instruction in instructions)
            {
                if (_atTarget.TryGetValue(instruction.Offset, out var saved) && !fallsThrough)
                {
                    _stack = [.. saved];
                }
                else if (!fallsThrough || handlers.Contains(instruction.Offset))
                {
                    _stack = [];
                }

                fallsThrough = Step(instruction);
            }

            return _found;
        }

        // Simulates one instruction; false when control does not fall through to the next one.
        private bool Step(IlInstruction instruction)
        {
            var opCode = instruction.OpCode;
            switch (opCode.FlowControl)
            {
                case FlowControl.Branch:
                    Pop(Pops(opCode));
                    Remember((int)instruction.Operand);
                    return false;
                case FlowControl.Cond_Branch:
                    Pop(Pops(opCode));
                    foreach (var target in instruction.SwitchTargets ?? [(int)instruction.Operand])
                    {
                        Remember(target);
                    }

                    return true;
                case FlowControl.Return:
                case FlowControl.Throw:
                    _stack.Clear();
                    return false;
            }

            if (opCode == OpCodes.Ldstr)
            {
                Push(new Text(reader.GetUserString(MetadataTokens.UserStringHandle(instruction.Token))));
            }
            else if (opCode == OpCodes.Ldftn || opCode == OpCodes.Ldvirtftn)
            {
                Pop(opCode == OpCodes.Ldvirtftn ? 1 : 0);
                var target = MethodResolver.Resolve(reader, MetadataTokens.EntityHandle(instruction.Token));
                Push(target is { } defined ? new Function(defined) : Unknown.Instance);
            }
            else if (opCode == OpCodes.Dup)
            {
                var top = Pop(1)[0];
                Push(top);
                Push(top);
            }
            else if (LocalIndex(instruction) is var (index, store))
            {
                if (store)
                {
                    _locals[index] = Pop(1)[0];
                }
                else
                {
                    Push(_locals.GetValueOrDefault(index, Unknown.Instance));
                }
            }
            else if (opCode == OpCodes.Stfld || opCode == OpCodes.Stsfld)
            {
                var value = Pop(opCode == OpCodes.Stfld ? 2 : 1)[^1];
                _fields[instruction.Token] = value;
            }
            else if (opCode == OpCodes.Ldfld || opCode == OpCodes.Ldsfld)
            {
                Pop(opCode == OpCodes.Ldfld ? 1 : 0);
                Push(_fields.GetValueOrDefault(instruction.Token, Unknown.Instance));
            }
            else if (opCode == OpCodes.Newarr)
            {
                Pop(1);
                Push(new Strings(new string?[Math.Clamp(_lastConstant, 0, 64)]));
            }
            else if (opCode == OpCodes.Stelem_Ref || opCode == OpCodes.Stelem)
            {
                var args = Pop(3);
                if (args[0] is Strings array && args[2] is Text text && _lastIndex is >= 0 and var i && i < array.Items.Length)
                {
                    array.Items[i] = text.Content;
                }
            }
            else if (opCode == OpCodes.Call || opCode == OpCodes.Callvirt || opCode == OpCodes.Newobj)
            {
                Call(instruction);
            }
            else
            {
                Pop(Pops(opCode));
                for (var i = Pushes(opCode); i > 0; i--)
                {
                    Push(Unknown.Instance);
                }
            }

            TrackConstant(instruction);
            return true;
        }

        // The last two integer constants, enough to follow `dup; ldc.i4 i; ldstr "GET"; stelem.ref` and `ldc.i4 n; newarr`.
        private int _lastConstant = -1;
        private int _lastIndex = -1;

        private void TrackConstant(IlInstruction instruction)
        {
            var opCode = instruction.OpCode;
            int? constant = opCode.Value switch
            {
                >= 0x16 and <= 0x1e => opCode.Value - 0x16,
                0x1f or 0x20 => (int)instruction.Operand,
                _ => null,
            };
            if (constant is { } value)
            {
                _lastIndex = value;
                _lastConstant = value;
            }
        }

        private void Call(IlInstruction instruction)
        {
            var token = MetadataTokens.EntityHandle(instruction.Token);
            var (parameters, hasThis, returnsValue, returnsFirstParameter) = Shape(token);
            var isNewobj = instruction.OpCode == OpCodes.Newobj;
            var args = Pop(parameters + (hasThis && !isNewobj ? 1 : 0));
            if (isNewobj)
            {
                // A delegate is made from (target, function pointer).
                Push(args.Count == 2 && args[1] is Function function ? new Handler(function.Target) : Unknown.Instance);
                return;
            }

            var name = RouteMethod(token);
            if (name == "MapGroup" && args.Count == 2)
            {
                Push(args[1] is Text prefix ? new Group(RouteJoin.Combine(PrefixOf(args[0]), prefix.Content, leadingSlash: true)) : Unknown.Instance);
                return;
            }

            if (name is not null && s_verbs.TryGetValue(name, out var verb) && args.Count >= 3 && args[1] is Text pattern && args[^1] is Handler handler)
            {
                if (verb.Length == 0)
                {
                    verb = args.Count == 4 && args[2] is Strings verbs && verbs.Items.All(v => v is not null) && verbs.Items.Length > 0
                        ? string.Join(",", verbs.Items)
                        : "ANY";
                }

                _found.Add((handler.Target, $"{verb} {RouteJoin.Combine(PrefixOf(args[0]), pattern.Content, leadingSlash: true)}"));
            }

            if (returnsValue)
            {
                // Fluent calls on a group (WithTags, RequireAuthorization, ...) hand the same group back.
                Push(returnsFirstParameter && args.Count > 0 && args[0] is Group group ? group : Unknown.Instance);
            }
        }

        private static string PrefixOf(Value builder) => builder is Group group ? group.Prefix : "";

        private string? RouteMethod(EntityHandle token)
        {
            if (token.Kind == HandleKind.MethodSpecification)
            {
                token = reader.GetMethodSpecification((MethodSpecificationHandle)token).Method;
            }

            if (token.Kind != HandleKind.MemberReference)
            {
                return null;
            }

            var reference = reader.GetMemberReference((MemberReferenceHandle)token);
            return AttributeReader.TypeName(reader, reference.Parent).Name == ExtensionsType ? reader.GetString(reference.Name) : null;
        }

        private (int Parameters, bool HasThis, bool ReturnsValue, bool ReturnsFirstParameter) Shape(EntityHandle token)
        {
            if (token.Kind == HandleKind.MethodSpecification)
            {
                token = reader.GetMethodSpecification((MethodSpecificationHandle)token).Method;
            }

            var blob = token.Kind switch
            {
                HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)token).Signature,
                HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)token).Signature,
                _ => default,
            };
            if (blob.IsNil)
            {
                return (0, false, false, false);
            }

            var signature = reader.GetBlobReader(blob);
            var decoder = new SignatureDecoder<string, object?>(DocCommentIdProvider.Instance, reader, null);
            var decoded = decoder.DecodeMethodSignature(ref signature);
            var returns = decoded.ReturnType;
            return (decoded.ParameterTypes.Length, decoded.Header.IsInstance, returns != "System.Void",
                decoded.ParameterTypes.Length > 0 && returns == decoded.ParameterTypes[0] && returns.StartsWith("``", StringComparison.Ordinal));
        }

        private void Remember(int target)
        {
            if (!_atTarget.ContainsKey(target))
            {
                _atTarget[target] = [.. _stack];
            }
        }

        private void Push(Value value) => _stack.Add(value);

        private List<Value> Pop(int count)
        {
            var taken = new List<Value>(count);
            for (var i = 0; i < count; i++)
            {
                taken.Add(Unknown.Instance);
            }

            for (var i = count - 1; i >= 0 && _stack.Count > 0; i--)
            {
                taken[i] = _stack[^1];
                _stack.RemoveAt(_stack.Count - 1);
            }

            return taken;
        }

        private static (long Index, bool Store)? LocalIndex(IlInstruction instruction)
        {
            var value = instruction.OpCode.Value;
            return value switch
            {
                >= 0x06 and <= 0x09 => (value - 0x06, false),
                >= 0x0a and <= 0x0d => (value - 0x0a, true),
                0x11 => (instruction.Operand, false),
                0x13 => (instruction.Operand, true),
                unchecked((short)0xfe0c) => (instruction.Operand, false),
                unchecked((short)0xfe0e) => (instruction.Operand, true),
                _ => null,
            };
        }

        private static int Pops(OpCode opCode) => opCode.StackBehaviourPop switch
        {
            StackBehaviour.Pop0 => 0,
            StackBehaviour.Pop1 or StackBehaviour.Popi or StackBehaviour.Popref => 1,
            StackBehaviour.Popi_popi_popi or StackBehaviour.Popref_popi_popi or StackBehaviour.Popref_popi_popi8 or StackBehaviour.Popref_popi_popr4 or
                StackBehaviour.Popref_popi_popr8 or StackBehaviour.Popref_popi_popref or StackBehaviour.Popref_popi_pop1 => 3,
            StackBehaviour.Varpop => 0,
            _ => 2,
        };

        private static int Pushes(OpCode opCode) => opCode.StackBehaviourPush switch
        {
            StackBehaviour.Push0 or StackBehaviour.Varpush => 0,
            StackBehaviour.Push1_push1 => 2,
            _ => 1,
        };
    }
}
