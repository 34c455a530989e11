using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace Coldmod.Cli.Codemods;

// Walks a method body's instructions. Operand sizes come from the runtime's own opcode table (System.Reflection.Emit),
// not a hand-typed one.
internal static class ILOperands
{
    private static readonly Dictionary<ushort, OperandType> s_operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (ushort)o.Value, o => o.OperandType);

    // Each instruction that names a method (calls, object creation, and the ldftn/ldvirtftn of delegates and method
    // groups): its IL offset and the method's token.
    public static IEnumerable<(int Offset, int Token)> MethodOperands(MethodBodyBlock body)
    {
        var il = body.GetILReader();
        var found = new List<(int, int)>();
        while (il.RemainingBytes > 0)
        {
            var offset = il.Offset;
            ushort code = il.ReadByte();
            if (code == 0xFE)
            {
                code = (ushort)(0xFE00 | il.ReadByte());
            }

            if (!s_operands.TryGetValue(code, out var operand))
            {
                throw new BadImageFormatException($"Unknown IL opcode 0x{code:X} at offset {offset}.");
            }

            switch (operand)
            {
                case OperandType.InlineMethod:
                    var token = il.ReadInt32();
                    if ((ILOpCode)code is ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldftn or ILOpCode.Ldvirtftn or ILOpCode.Jmp)
                    {
                        found.Add((offset, token));
                    }

                    break;
                case OperandType.InlineSwitch:
                    var count = il.ReadInt32();
                    il.Offset += 4 * count;
                    break;
                default:
                    il.Offset += Size(operand);
                    break;
            }
        }

        return found;
    }

    private static int Size(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
