using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>
/// The original PDB's local constants of enum types declared in the assembly, with the enum's type row renumbered to
/// the woven assembly's. A constant's signature is its primitive type code, its value, then the enum type
/// (TypeDefOrRefOrSpec); Cecil writes the first two only.
/// </summary>
internal sealed class OriginalConstants
{
    private readonly Dictionary<(int MethodRow, string Name), byte[]> _signatures = [];

    public OriginalConstants(MetadataReader original, IReadOnlyDictionary<int, int> originalMethodRows, IReadOnlyDictionary<int, int> wovenTypeRows)
    {
        var toWoven = originalMethodRows.ToDictionary(m => m.Value, m => m.Key);
        foreach (var scopeHandle in original.LocalScopes)
        {
            var scope = original.GetLocalScope(scopeHandle);
            if (!toWoven.TryGetValue(MetadataTokens.GetRowNumber(scope.Method), out var wovenMethod))
            {
                continue;
            }

            foreach (var constantHandle in scope.GetLocalConstants())
            {
                var constant = original.GetLocalConstant(constantHandle);
                var signature = Renumbered(original, constant.Signature, wovenTypeRows);
                if (signature is not null)
                {
                    // Two constants of one name in one method (in sibling scopes) are left to Cecil rather than guessed.
                    var key = (wovenMethod, original.GetString(constant.Name));
                    if (!_signatures.TryAdd(key, signature))
                    {
                        _signatures[key] = [];
                    }
                }
            }
        }
    }

    /// <summary>The constant's signature with its enum type, or null when the original has none to restore.</summary>
    public byte[]? EnumSignature(MethodDefinitionHandle wovenMethod, string name) =>
        _signatures.TryGetValue((MetadataTokens.GetRowNumber(wovenMethod), name), out var signature) && signature.Length > 0 ? signature : null;

    private static byte[]? Renumbered(MetadataReader original, BlobHandle handle, IReadOnlyDictionary<int, int> wovenTypeRows)
    {
        var signature = original.GetBlobBytes(handle);
        var reader = original.GetBlobReader(handle);
        while (reader.RemainingBytes > 0)
        {
            var code = (SignatureTypeCode)reader.ReadCompressedInteger();
            if (code is SignatureTypeCode.RequiredModifier or SignatureTypeCode.OptionalModifier)
            {
                reader.ReadCompressedInteger();
                continue;
            }

            var size = ValueSize(code);
            if (size == 0 || reader.RemainingBytes <= size)
            {
                return null;
            }

            reader.Offset += size;
            var prefix = reader.Offset;
            var type = reader.ReadTypeHandle();
            if (type.Kind != HandleKind.TypeDefinition || reader.RemainingBytes != 0)
            {
                return null;
            }

            var woven = MetadataTokens.TypeDefinitionHandle(wovenTypeRows[MetadataTokens.GetRowNumber(type)]);
            var rewritten = new BlobBuilder();
            rewritten.WriteBytes(signature, 0, prefix);
            rewritten.WriteCompressedInteger(CodedIndex.TypeDefOrRefOrSpec(woven));
            return rewritten.ToArray();
        }

        return null;
    }

    private static int ValueSize(SignatureTypeCode code) => code switch
    {
        SignatureTypeCode.Boolean or SignatureTypeCode.SByte or SignatureTypeCode.Byte => 1,
        SignatureTypeCode.Char or SignatureTypeCode.Int16 or SignatureTypeCode.UInt16 => 2,
        SignatureTypeCode.Int32 or SignatureTypeCode.UInt32 or SignatureTypeCode.Single => 4,
        SignatureTypeCode.Int64 or SignatureTypeCode.UInt64 or SignatureTypeCode.Double => 8,
        _ => 0,
    };
}
