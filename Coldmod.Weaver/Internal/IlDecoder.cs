using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace Coldmod.Weaver.Internal;

/// <summary>
/// Decodes a method body's IL with the runtime's own opcode table (System.Reflection.Emit), so operand sizes
/// and stack behaviour come from one authority rather than a hand-written list.
/// </summary>
internal static class IlDecoder
{
    private static readonly OpCode[] s_oneByte = new OpCode[0x100];
    private static readonly OpCode[] s_twoByte = new OpCode[0x100];

    static IlDecoder()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is OpCode opCode)
            {
                var value = (ushort)opCode.Value;
                if (opCode.Size == 1)
                {
                    s_oneByte[value] = opCode;
                }
                else
                {
                    s_twoByte[value & 0xff] = opCode;
                }
            }
        }
    }

    public static List<IlInstruction> Decode(MethodBodyBlock body)
    {
        var il = body.GetILReader();
        var instructions = new List<IlInstruction>();
        while (il.RemainingBytes > 0)
        {
            var offset = il.Offset;
            var first = il.ReadByte();
            var opCode = first == 0xfe ? s_twoByte[il.ReadByte()] : s_oneByte[first];
            long operand = 0;
            int[]? targets = null;
            switch (opCode.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                    operand = il.ReadSByte();
                    operand += il.Offset;
                    break;
                case OperandType.InlineBrTarget:
                    operand = il.ReadInt32();
                    operand += il.Offset;
                    break;
                case OperandType.ShortInlineI:
                    operand = opCode == OpCodes.Ldc_I4_S ? il.ReadSByte() : il.ReadByte();
                    break;
                case OperandType.ShortInlineVar:
                    operand = il.ReadByte();
                    break;
                case OperandType.InlineVar:
                    operand = il.ReadUInt16();
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    operand = il.ReadInt64();
                    break;
                case OperandType.InlineSwitch:
                    var count = il.ReadInt32();
                    targets = new int[count];
                    for (var i = 0; i < count; i++)
                    {
                        targets[i] = il.ReadInt32();
                    }

                    for (var i = 0; i < count; i++)
                    {
                        targets[i] += il.Offset;
                    }

                    break;
                default:
                    // Tokens, 32-bit constants and short floats.
                    operand = il.ReadInt32();
                    break;
            }

            instructions.Add(new IlInstruction(offset, opCode, operand, targets));
        }

        return instructions;
    }
}
