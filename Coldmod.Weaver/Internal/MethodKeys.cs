using System.Reflection.Metadata;
using System.Text;

namespace Coldmod.Weaver.Internal;

/// <summary>Builds a method's key: its documentation comment ID without the <c>M:</c> prefix.</summary>
internal static class MethodKeys
{
    /// <summary>Joins a member's key and the path of a lambda or local function inside it; never part of a documentation comment ID.</summary>
    public const string NestedSeparator = "=>";

    public static string For(MetadataReader reader, MethodDefinitionHandle handle)
    {
        var method = reader.GetMethodDefinition(handle);
        var key = new StringBuilder();
        key.Append(DocCommentIdProvider.TypeDefinitionName(reader, method.GetDeclaringType()).Replace('+', '.'));
        key.Append('.');

        var name = reader.GetString(method.Name);
        key.Append(name.Replace('.', '#').Replace('<', '{').Replace('>', '}'));

        var genericArity = method.GetGenericParameters().Count;
        if (genericArity > 0)
        {
            key.Append("``").Append(genericArity);
        }

        var signature = method.DecodeSignature(DocCommentIdProvider.Instance, null);
        var isVararg = signature.Header.CallingConvention == SignatureCallingConvention.VarArgs;
        if (signature.ParameterTypes.Length > 0 || isVararg)
        {
            key.Append('(');
            for (var i = 0; i < signature.ParameterTypes.Length; i++)
            {
                if (i > 0)
                {
                    key.Append(',');
                }

                key.Append(DocCommentIdProvider.Display(signature.ParameterTypes[i]));
            }

            // Roslyn marks a vararg method (__arglist) with a trailing comma after its fixed parameters,
            // and with bare parentheses when it has none.
            if (isVararg && signature.ParameterTypes.Length > 0)
            {
                key.Append(',');
            }

            key.Append(')');
        }

        if (name is "op_Implicit" or "op_Explicit" or "op_CheckedExplicit")
        {
            key.Append('~').Append(DocCommentIdProvider.Display(signature.ReturnType));
        }

        return key.ToString();
    }
}
