using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>
/// Makes the module's initializer (the static constructor of &lt;Module&gt;) register the counters
/// before anything else runs, keeping any initializer the compiler already emitted.
/// </summary>
internal static class ModuleInitializer
{
    public static void CallFirst(ModuleDefinition module, MethodDefinition initialize)
    {
        var moduleType = module.GetType("<Module>");
        var cctor = moduleType.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic);
        if (cctor is null)
        {
            cctor = new MethodDefinition(
                ".cctor",
                MethodAttributes.Private | MethodAttributes.HideBySig | MethodAttributes.Static | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
                module.TypeSystem.Void);
            cctor.Body.GetILProcessor().Emit(OpCodes.Ret);
            moduleType.Methods.Add(cctor);
        }

        var il = cctor.Body.GetILProcessor();
        il.InsertBefore(cctor.Body.Instructions[0], il.Create(OpCodes.Call, initialize));
    }
}
