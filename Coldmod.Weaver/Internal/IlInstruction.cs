using System.Reflection.Emit;

namespace Coldmod.Weaver.Internal;

/// <summary>
/// One decoded IL instruction. <see cref="Operand"/> holds the token, the constant or the branch target
/// (an absolute offset); <see cref="SwitchTargets"/> the targets of a switch.
/// </summary>
internal readonly record struct IlInstruction(int Offset, OpCode OpCode, long Operand, int[]? SwitchTargets)
{
    public int Token => (int)Operand;
}
