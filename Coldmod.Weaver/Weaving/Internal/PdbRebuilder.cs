using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Security.Cryptography;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>A portable PDB ready to be written, with the id and SHA-256 checksum the assembly's debug directory records.</summary>
internal sealed record RebuiltPdb(byte[] Image, BlobContentId Id, byte[] Checksum);

/// <summary>
/// Writes the woven assembly's PDB from two sources. Cecil's own PDB of the woven module supplies everything bound to
/// method bodies (sequence points, local scopes, variables, constants, import scopes, state machines, their custom
/// debug information): Cecil re-encodes those from its object model, so every IL offset and metadata handle in them
/// is the woven assembly's. The original PDB supplies what Cecil drops or leaves stale: every document (Cecil keeps
/// only those a sequence point names), each document's embedded source, the module's custom debug information
/// (Source Link, compilation options and references) and the types' (TypeDefinitionDocuments, whose type and
/// document rows Cecil copies unchanged although it renumbers both tables), and the enum type of a local constant,
/// which Cecil leaves out of the constant's signature.
/// </summary>
internal static class PdbRebuilder
{
    private static readonly Guid s_typeDefinitionDocuments = new("932E74BC-DBA9-4478-8D46-0F32A7BAB3D3");

    public static RebuiltPdb Rebuild(
        MetadataReader original,
        byte[] cecilImage,
        IReadOnlyDictionary<int, int> wovenTypeRows,
        IReadOnlyDictionary<int, int> originalMethodRows)
    {
        using var cecilProvider = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(cecilImage));
        var cecil = cecilProvider.GetMetadataReader();
        var builder = new MetadataBuilder();

        var documents = CopyDocuments(original, cecil, builder);
        CopyMethodDebugInformation(cecil, builder);
        CopyLocalScopes(cecil, builder, new OriginalConstants(original, originalMethodRows, wovenTypeRows));
        CopyImportScopes(cecil, builder);
        CopyStateMachineMethods(cecil, builder);
        CopyCustomDebugInformation(original, cecil, builder, documents, wovenTypeRows);

        var pdbBuilder = new PortablePdbBuilder(
            builder,
            TypeSystemRowCounts(cecilImage),
            cecil.DebugMetadataHeader!.EntryPoint,
            ContentId);
        var content = new BlobBuilder();
        var id = pdbBuilder.Serialize(content);
        var image = content.ToArray();
        using var rebuilt = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(image));
        return new RebuiltPdb(image, id, ChecksumOf(image, rebuilt.GetMetadataReader().DebugMetadataHeader!.IdStartOffset));
    }

    // Cecil's documents first, in its row order, so the sequence points it wrote stay valid byte for byte; then the
    // original's documents Cecil dropped. Returns each document's row in the new table, by name.
    private static Dictionary<string, DocumentHandle> CopyDocuments(MetadataReader original, MetadataReader cecil, MetadataBuilder builder)
    {
        var rows = new Dictionary<string, DocumentHandle>(StringComparer.Ordinal);
        foreach (var (reader, handle) in cecil.Documents.Select(d => (cecil, d)).Concat(original.Documents.Select(d => (original, d))))
        {
            var document = reader.GetDocument(handle);
            var name = reader.GetString(document.Name);
            if (rows.ContainsKey(name))
            {
                continue;
            }

            rows[name] = builder.AddDocument(
                builder.GetOrAddDocumentName(name),
                builder.GetOrAddGuid(reader.GetGuid(document.HashAlgorithm)),
                builder.GetOrAddBlob(reader.GetBlobBytes(document.Hash)),
                builder.GetOrAddGuid(reader.GetGuid(document.Language)));
        }

        return rows;
    }

    private static void CopyMethodDebugInformation(MetadataReader cecil, MetadataBuilder builder)
    {
        foreach (var handle in cecil.MethodDebugInformation)
        {
            var info = cecil.GetMethodDebugInformation(handle);
            builder.AddMethodDebugInformation(
                info.Document.IsNil ? default : MetadataTokens.DocumentHandle(MetadataTokens.GetRowNumber(info.Document)),
                info.SequencePointsBlob.IsNil ? default : builder.GetOrAddBlob(cecil.GetBlobBytes(info.SequencePointsBlob)));
        }
    }

    // Variables and constants are added in scope order, as Cecil's tables are, so their rows stay the same.
    private static void CopyLocalScopes(MetadataReader cecil, MetadataBuilder builder, OriginalConstants originalConstants)
    {
        var variables = 0;
        var constants = 0;
        foreach (var handle in cecil.LocalScopes)
        {
            var scope = cecil.GetLocalScope(handle);
            var firstVariable = MetadataTokens.LocalVariableHandle(variables + 1);
            foreach (var variableHandle in scope.GetLocalVariables())
            {
                var variable = cecil.GetLocalVariable(variableHandle);
                builder.AddLocalVariable(variable.Attributes, variable.Index, builder.GetOrAddString(cecil.GetString(variable.Name)));
                variables++;
            }

            var firstConstant = MetadataTokens.LocalConstantHandle(constants + 1);
            foreach (var constantHandle in scope.GetLocalConstants())
            {
                var constant = cecil.GetLocalConstant(constantHandle);
                var name = cecil.GetString(constant.Name);
                var signature = originalConstants.EnumSignature(scope.Method, name) ?? cecil.GetBlobBytes(constant.Signature);
                builder.AddLocalConstant(builder.GetOrAddString(name), builder.GetOrAddBlob(signature));
                constants++;
            }

            builder.AddLocalScope(scope.Method, scope.ImportScope, firstVariable, firstConstant, scope.StartOffset, scope.Length);
        }
    }

    private static void CopyImportScopes(MetadataReader cecil, MetadataBuilder builder)
    {
        foreach (var handle in cecil.ImportScopes)
        {
            var scope = cecil.GetImportScope(handle);
            var imports = new BlobBuilder();
            foreach (var import in scope.GetImports())
            {
                WriteImport(cecil, builder, imports, import);
            }

            builder.AddImportScope(scope.Parent, builder.GetOrAddBlob(imports));
        }
    }

    // The import blob refers to strings in the blob heap by offset, so each import is written anew against this heap.
    private static void WriteImport(MetadataReader cecil, MetadataBuilder builder, BlobBuilder imports, ImportDefinition import)
    {
        imports.WriteCompressedInteger((int)import.Kind);
        if (import.Kind is ImportDefinitionKind.ImportXmlNamespace or ImportDefinitionKind.ImportAssemblyReferenceAlias
            or ImportDefinitionKind.AliasAssemblyReference or ImportDefinitionKind.AliasNamespace
            or ImportDefinitionKind.AliasAssemblyNamespace or ImportDefinitionKind.AliasType)
        {
            imports.WriteCompressedInteger(HeapOffsetOf(cecil, builder, import.Alias));
        }

        if (import.Kind is ImportDefinitionKind.ImportAssemblyNamespace or ImportDefinitionKind.AliasAssemblyReference
            or ImportDefinitionKind.AliasAssemblyNamespace)
        {
            imports.WriteCompressedInteger(MetadataTokens.GetRowNumber(import.TargetAssembly));
        }

        if (import.Kind is ImportDefinitionKind.ImportNamespace or ImportDefinitionKind.ImportAssemblyNamespace
            or ImportDefinitionKind.ImportXmlNamespace or ImportDefinitionKind.AliasNamespace
            or ImportDefinitionKind.AliasAssemblyNamespace)
        {
            imports.WriteCompressedInteger(HeapOffsetOf(cecil, builder, import.TargetNamespace));
        }

        if (import.Kind is ImportDefinitionKind.ImportType or ImportDefinitionKind.AliasType)
        {
            imports.WriteCompressedInteger(CodedIndex.TypeDefOrRefOrSpec(import.TargetType));
        }
    }

    private static int HeapOffsetOf(MetadataReader reader, MetadataBuilder builder, BlobHandle blob) =>
        MetadataTokens.GetHeapOffset(builder.GetOrAddBlob(reader.GetBlobBytes(blob)));

    private static void CopyStateMachineMethods(MetadataReader cecil, MetadataBuilder builder)
    {
        foreach (var handle in cecil.MethodDebugInformation)
        {
            var kickoff = cecil.GetMethodDebugInformation(handle).GetStateMachineKickoffMethod();
            if (!kickoff.IsNil)
            {
                builder.AddStateMachineMethod(handle.ToDefinitionHandle(), kickoff);
            }
        }
    }

    private static void CopyCustomDebugInformation(
        MetadataReader original,
        MetadataReader cecil,
        MetadataBuilder builder,
        Dictionary<string, DocumentHandle> documents,
        IReadOnlyDictionary<int, int> wovenTypeRows)
    {
        var rows = new List<(EntityHandle Parent, GuidHandle Kind, BlobHandle Value)>();
        foreach (var handle in cecil.CustomDebugInformation)
        {
            var info = cecil.GetCustomDebugInformation(handle);
            if (info.Parent.Kind is not (HandleKind.ModuleDefinition or HandleKind.Document or HandleKind.TypeDefinition))
            {
                rows.Add((info.Parent, builder.GetOrAddGuid(cecil.GetGuid(info.Kind)), builder.GetOrAddBlob(cecil.GetBlobBytes(info.Value))));
            }
        }

        var originalDocumentNames = original.Documents.ToDictionary(d => MetadataTokens.GetRowNumber(d), d => original.GetString(original.GetDocument(d).Name));
        foreach (var handle in original.CustomDebugInformation)
        {
            var info = original.GetCustomDebugInformation(handle);
            var kind = original.GetGuid(info.Kind);
            var value = original.GetBlobBytes(info.Value);
            EntityHandle parent;
            switch (info.Parent.Kind)
            {
                case HandleKind.ModuleDefinition:
                    parent = info.Parent;
                    break;
                case HandleKind.Document:
                    parent = documents[originalDocumentNames[MetadataTokens.GetRowNumber(info.Parent)]];
                    break;
                case HandleKind.TypeDefinition:
                    parent = MetadataTokens.TypeDefinitionHandle(wovenTypeRows[MetadataTokens.GetRowNumber(info.Parent)]);
                    if (kind == s_typeDefinitionDocuments)
                    {
                        value = RenumberDocuments(value, row => MetadataTokens.GetRowNumber(documents[originalDocumentNames[row]]));
                    }

                    break;
                default:
                    continue;
            }

            rows.Add((parent, builder.GetOrAddGuid(kind), builder.GetOrAddBlob(value)));
        }

        // The table is sorted by parent; within one parent the order each source wrote is kept.
        foreach (var row in rows.Select((r, i) => (Row: r, Index: i)).OrderBy(r => CodedIndex.HasCustomDebugInformation(r.Row.Parent)).ThenBy(r => r.Index))
        {
            builder.AddCustomDebugInformation(row.Row.Parent, row.Row.Kind, row.Row.Value);
        }
    }

    // TypeDefinitionDocuments is a list of compressed document row numbers.
    private static byte[] RenumberDocuments(byte[] value, Func<int, int> newRow)
    {
        var renumbered = new BlobBuilder();
        foreach (var row in DocumentRows(value))
        {
            renumbered.WriteCompressedInteger(newRow(row));
        }

        return renumbered.ToArray();
    }

    private static List<int> DocumentRows(byte[] value)
    {
        var rows = new List<int>();
        var position = 0;
        while (position < value.Length)
        {
            rows.Add(ReadCompressedInteger(value, ref position));
        }

        return rows;
    }

    private static int ReadCompressedInteger(byte[] value, ref int position)
    {
        var first = value[position];
        if ((first & 0x80) == 0)
        {
            position += 1;
            return first;
        }

        if ((first & 0xC0) == 0x80)
        {
            var result = ((first & 0x3F) << 8) | value[position + 1];
            position += 2;
            return result;
        }

        var wide = ((first & 0x1F) << 24) | (value[position + 1] << 16) | (value[position + 2] << 8) | value[position + 3];
        position += 4;
        return wide;
    }

    // The #Pdb stream records the row count of every table of the assembly it describes; Cecil wrote the woven one's.
    private static ImmutableArray<int> TypeSystemRowCounts(byte[] pdbImage)
    {
        var pdbStream = FindPdbStream(pdbImage);
        var present = BinaryPrimitives.ReadUInt64LittleEndian(pdbImage.AsSpan(pdbStream + 24));
        var counts = new int[MetadataTokens.TableCount];
        var position = pdbStream + 32;
        for (var table = 0; table < 64; table++)
        {
            if ((present & (1UL << table)) != 0)
            {
                counts[table] = BinaryPrimitives.ReadInt32LittleEndian(pdbImage.AsSpan(position));
                position += 4;
            }
        }

        return [.. counts];
    }

    // ECMA-335 II.24.2.1: the metadata root, then one header (offset, size, padded name) per stream.
    private static int FindPdbStream(byte[] image)
    {
        var versionLength = BinaryPrimitives.ReadInt32LittleEndian(image.AsSpan(12));
        var position = 16 + versionLength + 2;
        var streams = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(position));
        position += 2;
        for (var i = 0; i < streams; i++)
        {
            var offset = BinaryPrimitives.ReadInt32LittleEndian(image.AsSpan(position));
            var nameStart = position + 8;
            var nameEnd = Array.IndexOf(image, (byte)0, nameStart);
            if (System.Text.Encoding.ASCII.GetString(image, nameStart, nameEnd - nameStart) == "#Pdb")
            {
                return offset;
            }

            position = nameStart + (((nameEnd - nameStart) / 4) + 1) * 4;
        }

        throw new InvalidOperationException("Cecil's PDB has no #Pdb stream.");
    }

    // Deterministic, as the compiler's: the id is the content's hash, so the same input weaves to the same PDB.
    private static BlobContentId ContentId(IEnumerable<Blob> content)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var blob in content)
        {
            hash.AppendData(blob.GetBytes().AsSpan());
        }

        return BlobContentId.FromHash(hash.GetHashAndReset());
    }

    // The PdbChecksum entry hashes the PDB with its 20-byte id zeroed (the Portable PDB specification).
    private static byte[] ChecksumOf(byte[] image, int idOffset)
    {
        var copy = (byte[])image.Clone();
        copy.AsSpan(idOffset, 20).Clear();
        return SHA256.HashData(copy);
    }
}
