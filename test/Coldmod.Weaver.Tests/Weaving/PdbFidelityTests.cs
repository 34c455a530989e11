using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Coldmod.TestSupport;
using Coldmod.Weaver.Internal;
using Coldmod.Weaver.Tests.Infrastructure;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>
/// The woven PDB is the original plus the probes: table by table, everything the original PDB records resolves to the
/// same file, type, method and local in the woven one, read with System.Reflection.Metadata (which must not throw).
/// </summary>
public sealed class PdbFidelityTests(CorpusFixture corpus) : IClassFixture<CorpusFixture>
{
    private static readonly Guid s_typeDefinitionDocuments = new("932E74BC-DBA9-4478-8D46-0F32A7BAB3D3");
    private static readonly Guid s_embeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
    private static readonly Guid s_sourceLink = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid s_asyncSteppingInformation = new("54FD2AC5-E925-401A-9C2A-F94F171072F8");

    [Theory]
    [MemberData(nameof(CorpusVariants.PdbTheory), MemberType = typeof(CorpusVariants))]
    public void Every_document_checksum_and_embedded_source_is_kept(string variant)
    {
        using var pdbs = Weave(variant);

        Assert.Equal(Documents(pdbs.Original), Documents(pdbs.Woven));
        Assert.Equal(EmbeddedSources(pdbs.Original), EmbeddedSources(pdbs.Woven));
    }

    [Theory]
    [MemberData(nameof(CorpusVariants.PdbTheory), MemberType = typeof(CorpusVariants))]
    public void Every_type_keeps_the_files_it_is_declared_in(string variant)
    {
        using var pdbs = Weave(variant);

        var original = TypeDocuments(pdbs.Original);
        Assert.NotEmpty(original);
        Assert.Equal(original, TypeDocuments(pdbs.Woven));
    }

    [Theory]
    [MemberData(nameof(CorpusVariants.PdbTheory), MemberType = typeof(CorpusVariants))]
    public void Every_custom_debug_information_is_kept_on_the_same_owner(string variant)
    {
        using var pdbs = Weave(variant);

        var original = CustomDebugInformation(pdbs.Original);
        var woven = CustomDebugInformation(pdbs.Woven);
        Assert.Equal(original, woven);
        if (variant == CorpusVariants.SourceLink)
        {
            Assert.Contains(original, c => c.Kind == s_sourceLink);
        }
    }

    [Theory]
    [MemberData(nameof(CorpusVariants.PdbTheory), MemberType = typeof(CorpusVariants))]
    public void Every_local_constant_import_and_state_machine_is_kept(string variant)
    {
        using var pdbs = Weave(variant);

        var original = Locals(pdbs.Original);
        Assert.Contains(original, l => l.Contains("const align", StringComparison.Ordinal));
        Assert.Equal(original, Locals(pdbs.Woven));
        var imports = Imports(pdbs.Original);
        Assert.Contains(imports, i => i.StartsWith("ImportType System.Math", StringComparison.Ordinal));
        Assert.Equal(imports, Imports(pdbs.Woven));
        Assert.Equal(StateMachines(pdbs.Original), StateMachines(pdbs.Woven));
    }

    [Theory]
    [MemberData(nameof(CorpusVariants.PdbTheory), MemberType = typeof(CorpusVariants))]
    public void The_debug_directory_keeps_the_pdb_path_and_matches_the_woven_pdb(string variant)
    {
        using var pdbs = Weave(variant);

        var original = CodeView(pdbs.Original);
        var woven = CodeView(pdbs.Woven);
        Assert.Equal(original.Path, woven.Path);
        Assert.Equal(original.Age, woven.Age);
        var id = new BlobContentId(pdbs.Woven.Pdb.DebugMetadataHeader!.Id);
        Assert.Equal(id.Guid, woven.Guid);
        Assert.Equal(id.Stamp, woven.Stamp);
        Assert.Equal(DebugEntryTypes(pdbs.Original), DebugEntryTypes(pdbs.Woven));

        var checksum = pdbs.Woven.Pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.PdbChecksum);
        var recorded = pdbs.Woven.Pe.ReadPdbChecksumDebugDirectoryData(checksum);
        Assert.Equal("SHA256", recorded.AlgorithmName);
        Assert.Equal(ActualChecksum(pdbs.Woven), recorded.Checksum.ToArray());
    }

    private Pdbs Weave(string variant)
    {
        var build = corpus.Build(variant);
        var temp = new TempDirectory();
        var path = temp.Combine(Path.GetFileName(build.Assembly.AssemblyPath));
        File.Copy(build.Assembly.AssemblyPath, path);
        if (build.Assembly.PdbPath is not null)
        {
            File.Copy(build.Assembly.PdbPath, Path.ChangeExtension(path, ".pdb"));
        }

        var result = AssemblyWeaver.Weave(new WeaveOptions(path, corpus.Root, WovenCorpusFixture.RuntimeAssemblyPath)
        {
            SourceRoots = build.SourceRoots ?? SourceRootMap.None,
        });
        Assert.Equal(WeaveOutcome.Woven, result.Outcome);
        return new Pdbs(temp, Open(build.Assembly.AssemblyPath), Open(path));
    }

    private static OpenedPdb Open(string assemblyPath)
    {
        var pe = new PEReader(new MemoryStream(File.ReadAllBytes(assemblyPath)));
        var location = PdbLocator.Find(pe, assemblyPath);
        var provider = PdbLocator.Open(pe, location);
        var image = location.Embedded ? null : File.ReadAllBytes(location.FilePath!);
        return new OpenedPdb(pe, pe.GetMetadataReader(), provider, provider.GetMetadataReader(), image);
    }

    // Sorted: the woven table lists first the documents the woven sequence points name, in Cecil's order.
    private static List<string> Documents(OpenedPdb opened) =>
        [.. opened.Pdb.Documents.Select(d => DocumentText(opened.Pdb, d)).Order(StringComparer.Ordinal)];

    private static string DocumentText(MetadataReader pdb, DocumentHandle handle)
    {
        var document = pdb.GetDocument(handle);
        return $"{pdb.GetString(document.Name)} {pdb.GetGuid(document.Language)} {pdb.GetGuid(document.HashAlgorithm)} {Convert.ToHexString(pdb.GetBlobBytes(document.Hash))}";
    }

    private static SortedDictionary<string, string> EmbeddedSources(OpenedPdb opened)
    {
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var handle in opened.Pdb.CustomDebugInformation)
        {
            var info = opened.Pdb.GetCustomDebugInformation(handle);
            if (opened.Pdb.GetGuid(info.Kind) == s_embeddedSource)
            {
                sources.Add(opened.Pdb.GetString(opened.Pdb.GetDocument((DocumentHandle)info.Parent).Name), Convert.ToHexString(opened.Pdb.GetBlobBytes(info.Value)));
            }
        }

        return sources;
    }

    // Type full name -> the names of the documents TypeDefinitionDocuments links it to.
    private static SortedDictionary<string, string> TypeDocuments(OpenedPdb opened)
    {
        var links = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var handle in opened.Pdb.CustomDebugInformation)
        {
            var info = opened.Pdb.GetCustomDebugInformation(handle);
            if (opened.Pdb.GetGuid(info.Kind) != s_typeDefinitionDocuments)
            {
                continue;
            }

            var reader = opened.Pdb.GetBlobReader(info.Value);
            var names = new List<string>();
            while (reader.RemainingBytes > 0)
            {
                var document = MetadataTokens.DocumentHandle(reader.ReadCompressedInteger());
                names.Add(opened.Pdb.GetString(opened.Pdb.GetDocument(document).Name));
            }

            links.Add(TypeName(opened.Metadata, (TypeDefinitionHandle)info.Parent), string.Join(", ", names));
        }

        return links;
    }

    // Every custom debug information, keyed by what owns it, in the order written for that owner. Values are compared
    // byte for byte except where they hold metadata rows (TypeDefinitionDocuments, async stepping), compared above or decoded.
    private static List<(string Owner, Guid Kind, string Value)> CustomDebugInformation(OpenedPdb opened)
    {
        var rows = new List<(string, Guid, string)>();
        foreach (var handle in opened.Pdb.CustomDebugInformation)
        {
            var info = opened.Pdb.GetCustomDebugInformation(handle);
            var kind = opened.Pdb.GetGuid(info.Kind);
            var value = kind == s_typeDefinitionDocuments ? "(documents)"
                : kind == s_asyncSteppingInformation ? AsyncStepping(opened, info.Value)
                : Convert.ToHexString(opened.Pdb.GetBlobBytes(info.Value));
            rows.Add((Owner(opened, info.Parent), kind, value));
        }

        return [.. rows.OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2).ThenBy(r => r.Item3, StringComparer.Ordinal)];
    }

    // The catch handler and yield/resume offsets are in MoveNext, which is never probed; the resume method is a row.
    private static string AsyncStepping(OpenedPdb opened, BlobHandle value)
    {
        var reader = opened.Pdb.GetBlobReader(value);
        var parts = new List<string> { reader.ReadUInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) };
        while (reader.RemainingBytes > 0)
        {
            var yield = reader.ReadUInt32();
            var resume = reader.ReadUInt32();
            var method = MetadataTokens.MethodDefinitionHandle(reader.ReadCompressedInteger());
            parts.Add($"{yield}/{resume}@{MethodKeys.For(opened.Metadata, method)}");
        }

        return string.Join(" ", parts);
    }

    private static string Owner(OpenedPdb opened, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.ModuleDefinition => "module",
        HandleKind.Document => "document " + opened.Pdb.GetString(opened.Pdb.GetDocument((DocumentHandle)parent).Name),
        HandleKind.TypeDefinition => "type " + TypeName(opened.Metadata, (TypeDefinitionHandle)parent),
        HandleKind.MethodDefinition => "method " + MethodKeys.For(opened.Metadata, (MethodDefinitionHandle)parent),
        HandleKind.LocalScope => "scope in " + ScopeOwner(opened, (LocalScopeHandle)parent),
        HandleKind.LocalVariable => "local " + VariableOwner(opened, (LocalVariableHandle)parent),
        _ => parent.Kind + " " + MetadataTokens.GetRowNumber(parent),
    };

    private static string ScopeOwner(OpenedPdb opened, LocalScopeHandle handle)
    {
        var scope = opened.Pdb.GetLocalScope(handle);
        var index = opened.Pdb.GetLocalScopes(scope.Method).ToList().IndexOf(handle);
        return $"{MethodKeys.For(opened.Metadata, scope.Method)} #{index}";
    }

    private static string VariableOwner(OpenedPdb opened, LocalVariableHandle handle)
    {
        foreach (var scopeHandle in opened.Pdb.LocalScopes)
        {
            var scope = opened.Pdb.GetLocalScope(scopeHandle);
            if (scope.GetLocalVariables().Contains(handle))
            {
                return $"{opened.Pdb.GetString(opened.Pdb.GetLocalVariable(handle).Name)} in {ScopeOwner(opened, scopeHandle)}";
            }
        }

        throw new InvalidOperationException($"Local variable {MetadataTokens.GetRowNumber(handle)} is in no scope.");
    }

    // Per method: each scope's variables (slot, attributes, name) and constants (name, signature); sorted, since Cecil
    // lists a scope's variables in slot order where the compiler listed them in declaration order.
    private static List<string> Locals(OpenedPdb opened)
    {
        var locals = new List<string>();
        foreach (var method in opened.Metadata.MethodDefinitions)
        {
            var key = MethodKeys.For(opened.Metadata, method);
            foreach (var scopeHandle in opened.Pdb.GetLocalScopes(method))
            {
                var scope = opened.Pdb.GetLocalScope(scopeHandle);
                foreach (var variableHandle in scope.GetLocalVariables())
                {
                    var variable = opened.Pdb.GetLocalVariable(variableHandle);
                    locals.Add($"{key}: {variable.Index} {variable.Attributes} {opened.Pdb.GetString(variable.Name)}");
                }

                foreach (var constantHandle in scope.GetLocalConstants())
                {
                    var constant = opened.Pdb.GetLocalConstant(constantHandle);
                    locals.Add($"{key}: const {opened.Pdb.GetString(constant.Name)} {ConstantText(opened, constant.Signature)}");
                }
            }
        }

        return [.. locals.Order(StringComparer.Ordinal)];
    }

    // A constant's signature may name a type by row (an enum constant: code, value, enum type); decode it to the type's name.
    private static string ConstantText(OpenedPdb opened, BlobHandle signature)
    {
        var reader = opened.Pdb.GetBlobReader(signature);
        var text = new List<string>();
        while (reader.RemainingBytes > 0)
        {
            var code = (SignatureTypeCode)reader.ReadCompressedInteger();
            text.Add(code.ToString());
            if (code is SignatureTypeCode.RequiredModifier or SignatureTypeCode.OptionalModifier)
            {
                text.Add(EntityName(opened.Metadata, reader.ReadTypeHandle()));
                continue;
            }

            var size = code switch
            {
                SignatureTypeCode.Boolean or SignatureTypeCode.SByte or SignatureTypeCode.Byte => 1,
                SignatureTypeCode.Char or SignatureTypeCode.Int16 or SignatureTypeCode.UInt16 => 2,
                SignatureTypeCode.Int32 or SignatureTypeCode.UInt32 or SignatureTypeCode.Single => 4,
                SignatureTypeCode.Int64 or SignatureTypeCode.UInt64 or SignatureTypeCode.Double => 8,
                _ => reader.RemainingBytes,
            };
            text.Add(Convert.ToHexString(reader.ReadBytes(size)));
            if (reader.RemainingBytes > 0)
            {
                text.Add(EntityName(opened.Metadata, reader.ReadTypeHandle()));
            }
        }

        return string.Join(" ", text);
    }

    // Per method and scope: the chain of import scopes, each import decoded to names; sorted, as methods are renumbered.
    private static List<string> Imports(OpenedPdb opened)
    {
        var imports = new List<string>();
        foreach (var method in opened.Metadata.MethodDefinitions)
        {
            var key = MethodKeys.For(opened.Metadata, method);
            foreach (var scopeHandle in opened.Pdb.GetLocalScopes(method))
            {
                for (var import = opened.Pdb.GetLocalScope(scopeHandle).ImportScope; !import.IsNil; import = opened.Pdb.GetImportScope(import).Parent)
                {
                    foreach (var definition in opened.Pdb.GetImportScope(import).GetImports())
                    {
                        imports.Add($"{definition.Kind} {ImportText(opened, definition)} (in {key})");
                    }
                }
            }
        }

        return [.. imports.Order(StringComparer.Ordinal)];
    }

    private static string ImportText(OpenedPdb opened, ImportDefinition import)
    {
        // The reader keeps a type and a namespace in one field, so only the kind says which of them to read.
        var parts = new List<string>();
        if (import.Kind is ImportDefinitionKind.ImportType or ImportDefinitionKind.AliasType)
        {
            parts.Add(EntityName(opened.Metadata, import.TargetType));
        }
        else if (!import.TargetNamespace.IsNil)
        {
            parts.Add(System.Text.Encoding.UTF8.GetString(opened.Pdb.GetBlobBytes(import.TargetNamespace)));
        }

        if (!import.Alias.IsNil)
        {
            parts.Add("as " + System.Text.Encoding.UTF8.GetString(opened.Pdb.GetBlobBytes(import.Alias)));
        }

        if (!import.TargetAssembly.IsNil)
        {
            parts.Add("from " + opened.Metadata.GetString(opened.Metadata.GetAssemblyReference(import.TargetAssembly).Name));
        }

        return string.Join(" ", parts);
    }

    private static List<string> StateMachines(OpenedPdb opened) =>
        [.. opened.Metadata.MethodDefinitions
            .Select(m => (MoveNext: m, Kickoff: opened.Pdb.GetMethodDebugInformation(m).GetStateMachineKickoffMethod()))
            .Where(p => !p.Kickoff.IsNil)
            .Select(p => $"{MethodKeys.For(opened.Metadata, p.MoveNext)} <- {MethodKeys.For(opened.Metadata, p.Kickoff)}")
            .Order(StringComparer.Ordinal)];

    private static string EntityName(MetadataReader metadata, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition => TypeName(metadata, (TypeDefinitionHandle)handle),
        HandleKind.TypeReference => metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)handle).Namespace) + "." +
                                    metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)handle).Name),
        HandleKind.TypeSpecification => "spec" + TypeSpecNames(metadata, (TypeSpecificationHandle)handle),
        _ => handle.Kind.ToString(),
    };

    // A type spec's blob names types by row, so its bytes alone differ between the two assemblies; its rows are named too.
    private static string TypeSpecNames(MetadataReader metadata, TypeSpecificationHandle handle)
    {
        var reader = metadata.GetBlobReader(metadata.GetTypeSpecification(handle).Signature);
        var names = new List<string>();
        while (reader.RemainingBytes > 0)
        {
            var code = (SignatureTypeCode)reader.ReadCompressedInteger();
            if (code is SignatureTypeCode.GenericTypeInstance)
            {
                names.Add(((SignatureTypeCode)reader.ReadCompressedInteger()).ToString());
                names.Add(EntityName(metadata, reader.ReadTypeHandle()));
                names.Add(reader.ReadCompressedInteger().ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (code is SignatureTypeCode.TypeHandle or (SignatureTypeCode)0x11 or (SignatureTypeCode)0x12)
            {
                names.Add(EntityName(metadata, reader.ReadTypeHandle()));
            }
            else
            {
                names.Add(code.ToString());
            }
        }

        return " [" + string.Join(", ", names) + "]";
    }

    private static string TypeName(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var type = metadata.GetTypeDefinition(handle);
        var name = metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil ? name : TypeName(metadata, declaring) + "+" + metadata.GetString(type.Name);
    }

    private static (string Path, int Age, Guid Guid, uint Stamp) CodeView(OpenedPdb opened)
    {
        var entry = opened.Pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        var data = opened.Pe.ReadCodeViewDebugDirectoryData(entry);
        return (data.Path, data.Age, data.Guid, entry.Stamp);
    }

    private static List<DebugDirectoryEntryType> DebugEntryTypes(OpenedPdb opened) =>
        [.. opened.Pe.ReadDebugDirectory().Select(e => e.Type).Order()];

    // The Portable PDB specification: SHA-256 of the PDB with its 20-byte id zeroed.
    private static byte[] ActualChecksum(OpenedPdb opened)
    {
        var image = opened.PdbImage ?? EmbeddedImage(opened.Pe);
        var copy = (byte[])image.Clone();
        using var provider = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(image));
        copy.AsSpan(provider.GetMetadataReader().DebugMetadataHeader!.IdStartOffset, 20).Clear();
        return SHA256.HashData(copy);
    }

    // "MPDB", the size, then the PDB deflated.
    private static byte[] EmbeddedImage(PEReader pe)
    {
        var entry = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        var data = pe.GetEntireImage().GetContent(entry.DataPointer, entry.DataSize);
        using var inflated = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(new MemoryStream([.. data.Skip(8)]), System.IO.Compression.CompressionMode.Decompress))
        {
            deflate.CopyTo(inflated);
        }

        return inflated.ToArray();
    }

    private sealed record OpenedPdb(PEReader Pe, MetadataReader Metadata, MetadataReaderProvider Provider, MetadataReader Pdb, byte[]? PdbImage) : IDisposable
    {
        public void Dispose()
        {
            Provider.Dispose();
            Pe.Dispose();
        }
    }

    private sealed record Pdbs(TempDirectory Temp, OpenedPdb Original, OpenedPdb Woven) : IDisposable
    {
        public void Dispose()
        {
            Original.Dispose();
            Woven.Dispose();
            Temp.Dispose();
        }
    }
}
