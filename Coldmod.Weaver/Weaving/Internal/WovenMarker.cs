using Mono.Cecil;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>The probe class doubles as the marker: an assembly that has it is woven.</summary>
internal static class WovenMarker
{
    public static bool IsWoven(ModuleDefinition module) => module.GetType(WovenNames.ProbesType) is not null;
}
