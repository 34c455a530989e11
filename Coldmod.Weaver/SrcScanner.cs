using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Coldmod.Weaver.Internal;

namespace Coldmod.Weaver;

/// <summary>
/// Reads the trace srcs of a built assembly from its metadata and portable PDB (beside it or embedded),
/// without loading any of its code.
/// </summary>
public static class SrcScanner
{
    /// <summary>Scans the assembly at <paramref name="assemblyPath"/>.</summary>
    /// <exception cref="ColdmodException">The file is not a readable .NET assembly.</exception>
    public static SrcScan Scan(string assemblyPath, RootMarker root, SourceRootMap? sourceRoots = null)
    {
        var fullPath = Path.GetFullPath(assemblyPath);
        ImmutableArray<byte> image;
        try
        {
            // Read the bytes up front: the file is not held open (nor locked) while we work.
            image = ImmutableArray.Create(File.ReadAllBytes(fullPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ColdmodException(DiagnosticCodes.AssemblyUnreadable, $"Cannot read assembly {fullPath}: {e.Message}", fullPath, inner: e);
        }

        using var peReader = new PEReader(image);
        if (!peReader.HasMetadata)
        {
            throw new ColdmodException(DiagnosticCodes.AssemblyUnreadable, $"{fullPath} is not a .NET assembly (it has no metadata).", fullPath);
        }

        var pdbLocation = PdbLocator.Find(peReader, fullPath);
        if (!pdbLocation.Exists)
        {
            var warning = new ScanWarning(
                DiagnosticCodes.PdbMissing,
                $"{fullPath} has no portable PDB (neither beside it nor embedded), so its methods cannot be mapped to source; build with <DebugType>portable</DebugType> or embedded.",
                fullPath);
            return new SrcScan(fullPath, [], [warning]);
        }

        MetadataReaderProvider pdbProvider;
        try
        {
            pdbProvider = PdbLocator.Open(peReader, pdbLocation);
            _ = pdbProvider.GetMetadataReader();
        }
        catch (BadImageFormatException e)
        {
            throw new ColdmodException(DiagnosticCodes.PdbMissing, $"The PDB of {fullPath} is not a portable PDB ({e.Message}). Build with <DebugType>portable</DebugType> or embedded.", fullPath, inner: e);
        }

        using (pdbProvider)
        {
            var reader = peReader.GetMetadataReader();
            var pdb = pdbProvider.GetMetadataReader();
            var scanner = new Scanner(peReader, reader, pdb, root, sourceRoots ?? SourceRootMap.None);
            return scanner.Run(fullPath);
        }
    }

    private sealed class Scanner(PEReader peReader, MetadataReader reader, MetadataReader pdb, RootMarker root, SourceRootMap sourceRoots)
    {
        // Top-level statements compile to this method; unlike other names in angle brackets, it is code the user wrote.
        private const string TopLevelStatements = "<Main>$";

        private readonly Dictionary<DocumentHandle, string?> _documents = [];
        private readonly Dictionary<DocumentHandle, string?> _tracedDocuments = [];
        private readonly Dictionary<TypeDefinitionHandle, bool> _generatedTypes = [];
        private readonly List<ScanWarning> _warnings = [];
        private readonly MappedPathResolver _mappedPaths = new(root, sourceRoots);
        private (string Document, string Local)? _firstMissing;
        private int _missingCount;
        private int _mappedCount;

        public SrcScan Run(string assemblyPath)
        {
            var stateMachineBodies = FindStateMachineBodies();
            var kickoffs = stateMachineBodies.ToDictionary(p => p.Value, p => p.Key);
            var nested = NestedFunctions.Find(reader, peReader, pdb, stateMachineBodies, kickoffs, EntryPointLabels.IsRouteMethodName);
            var labels = EntryPointLabels.Find(reader, peReader, nested.Callers, kickoffs);
            var srcs = new List<TraceSrc>();
            foreach (var typeHandle in reader.TypeDefinitions)
            {
                if (IsGenerated(typeHandle))
                {
                    continue;
                }

                foreach (var methodHandle in reader.GetTypeDefinition(typeHandle).GetMethods())
                {
                    var src = TryCreateSrc(methodHandle, stateMachineBodies);
                    if (src is not null)
                    {
                        srcs.Add(Labelled(src, methodHandle, labels));
                    }
                }
            }

            foreach (var function in nested.Functions)
            {
                if (TryCreateNestedSrc(function, nested, stateMachineBodies) is { } src)
                {
                    srcs.Add(Labelled(src, function, labels));
                }
            }

            var underRoot = pdb.Documents.Any(d => Relative(d) is not null);
            if (_firstMissing is var (document, local))
            {
                // A wrong LOCAL still yields paths under the root, so every src would be listed at a file that is not there.
                _warnings.Add(new ScanWarning(
                    DiagnosticCodes.MappedSourceMissing,
                    $"{_missingCount} of the {_mappedCount} traced documents the source roots map do not exist on disk; the first: {document} maps to {local}. Check the LOCAL side of the mapping (a relative --source-root LOCAL is resolved against the root directory {root.RootDirectory})."));
            }

            return new SrcScan(assemblyPath, DisambiguateKeys(srcs), _warnings.Concat(_mappedPaths.Warnings).ToList())
            {
                HasDocumentsUnderRoot = underRoot,
            };
        }

        private Dictionary<MethodDefinitionHandle, MethodDefinitionHandle> FindStateMachineBodies()
        {
            // Async methods and iterators keep their lines in MoveNext; the src is the kickoff method.
            var bodies = new Dictionary<MethodDefinitionHandle, MethodDefinitionHandle>();
            foreach (var debugHandle in pdb.MethodDebugInformation)
            {
                var kickoff = pdb.GetMethodDebugInformation(debugHandle).GetStateMachineKickoffMethod();
                if (!kickoff.IsNil)
                {
                    bodies[kickoff] = debugHandle.ToDefinitionHandle();
                }
            }

            return bodies;
        }

        private static TraceSrc Labelled(TraceSrc src, MethodDefinitionHandle handle, IReadOnlyDictionary<MethodDefinitionHandle, string> labels) =>
            labels.TryGetValue(handle, out var label) ? src with { Label = label } : src;

        private TraceSrc? TryCreateSrc(MethodDefinitionHandle handle, Dictionary<MethodDefinitionHandle, MethodDefinitionHandle> stateMachineBodies)
        {
            var method = reader.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0 || !IsMember(method))
            {
                return null;
            }

            var linesFrom = stateMachineBodies.TryGetValue(handle, out var moveNext) ? moveNext : handle;
            if (FirstTracedLine(linesFrom) is not { } first)
            {
                return null;
            }

            var key = MethodKeys.For(reader, handle);
            if (root.IgnoredKeySet.Contains(key))
            {
                return null;
            }

            return new TraceSrc(key, first.File, first.Line) { MethodToken = MetadataTokens.GetToken(handle) };
        }

        // A method the user declared (directly, or as top-level statements), as opposed to one the compiler made up.
        private bool IsMember(MethodDefinition method) =>
            reader.StringComparer.Equals(method.Name, TopLevelStatements) ||
            (!reader.StringComparer.StartsWith(method.Name, "<") && !HasCompilerGeneratedAttribute(method.GetCustomAttributes()));

        // A lambda, anonymous method or local function: a src of its own, keyed under the member it is written in.
        private TraceSrc? TryCreateNestedSrc(MethodDefinitionHandle handle, NestedFunctions nested, Dictionary<MethodDefinitionHandle, MethodDefinitionHandle> stateMachineBodies)
        {
            if (!nested.TryLocate(handle, out var memberHandle, out var path))
            {
                return null;
            }

            var member = reader.GetMethodDefinition(memberHandle);
            if (IsGenerated(member.GetDeclaringType()) || reader.StringComparer.StartsWith(member.Name, "<") && !reader.StringComparer.Equals(member.Name, TopLevelStatements))
            {
                return null;
            }

            var linesFrom = stateMachineBodies.TryGetValue(handle, out var moveNext) ? moveNext : handle;
            if (FirstTracedLine(linesFrom) is not { } first)
            {
                return null;
            }

            // Ignoring a member ignores the code written inside it too.
            var memberKey = MethodKeys.For(reader, memberHandle);
            var key = memberKey + path;
            for (var end = key.Length; end > 0; end = key.LastIndexOf(MethodKeys.NestedSeparator, end - 1, StringComparison.Ordinal))
            {
                if (root.IgnoredKeySet.Contains(key[..end]))
                {
                    return null;
                }
            }

            return new TraceSrc(key, first.File, first.Line) { MethodToken = MetadataTokens.GetToken(handle) };
        }

        // Not simply the first line: a constructor runs field initializers before its body, and they may sit in
        // an ignored file (a designer half of a partial class) or outside the root. The method is traced when it
        // has a line in a traced file, and it is placed at the first such line.
        private (string File, int Line)? FirstTracedLine(MethodDefinitionHandle handle)
        {
            var debug = pdb.GetMethodDebugInformation(handle.ToDebugInformationHandle());
            if (debug.SequencePointsBlob.IsNil)
            {
                return null;
            }

            foreach (var point in debug.GetSequencePoints())
            {
                if (!point.IsHidden && Traced(point.Document) is { } file)
                {
                    return (file, point.StartLine);
                }
            }

            return null;
        }

        private string? Traced(DocumentHandle handle)
        {
            if (!_tracedDocuments.TryGetValue(handle, out var traced))
            {
                traced = Relative(handle) is { } file && root.IsTracedFile(file) ? file : null;
                _tracedDocuments[handle] = traced;
                if (traced is not null)
                {
                    CheckMappedDocumentExists(handle);
                }
            }

            return traced;
        }

        private void CheckMappedDocumentExists(DocumentHandle handle)
        {
            var name = pdb.GetString(pdb.GetDocument(handle).Name);
            var local = sourceRoots.Map(name);
            if (ReferenceEquals(local, name))
            {
                return;
            }

            _mappedCount++;
            if (!File.Exists(local))
            {
                _missingCount++;
                _firstMissing ??= (name, local);
            }
        }

        private string? Relative(DocumentHandle handle)
        {
            if (!_documents.TryGetValue(handle, out var relative))
            {
                var name = pdb.GetString(pdb.GetDocument(handle).Name);
                var local = _mappedPaths.ToLocal(name);
                relative = local is null ? null : root.ToRelativePath(local);
                _documents[handle] = relative;
            }

            return relative;
        }

        private bool IsGenerated(TypeDefinitionHandle handle)
        {
            if (!_generatedTypes.TryGetValue(handle, out var generated))
            {
                var type = reader.GetTypeDefinition(handle);
                var declaring = type.GetDeclaringType();
                generated = HasCompilerGeneratedAttribute(type.GetCustomAttributes()) || (!declaring.IsNil && IsGenerated(declaring));
                _generatedTypes[handle] = generated;
            }

            return generated;
        }

        private bool HasCompilerGeneratedAttribute(CustomAttributeHandleCollection attributes)
        {
            foreach (var attributeHandle in attributes)
            {
                var constructor = reader.GetCustomAttribute(attributeHandle).Constructor;
                var (ns, name) = constructor.Kind switch
                {
                    HandleKind.MemberReference => ReferencedTypeName(reader.GetMemberReference((MemberReferenceHandle)constructor).Parent),
                    HandleKind.MethodDefinition => DefinedTypeName(reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType()),
                    _ => (default, default),
                };
                if (!name.IsNil && reader.StringComparer.Equals(name, "CompilerGeneratedAttribute") &&
                    reader.StringComparer.Equals(ns, "System.Runtime.CompilerServices"))
                {
                    return true;
                }
            }

            return false;
        }

        private (StringHandle Namespace, StringHandle Name) ReferencedTypeName(EntityHandle parent) => parent.Kind switch
        {
            HandleKind.TypeReference => (reader.GetTypeReference((TypeReferenceHandle)parent).Namespace, reader.GetTypeReference((TypeReferenceHandle)parent).Name),
            HandleKind.TypeDefinition => DefinedTypeName((TypeDefinitionHandle)parent),
            _ => (default, default),
        };

        private (StringHandle Namespace, StringHandle Name) DefinedTypeName(TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            return (type.Namespace, type.Name);
        }

        private List<TraceSrc> DisambiguateKeys(List<TraceSrc> srcs)
        {
            var result = new List<TraceSrc>(srcs.Count);
            foreach (var group in srcs.GroupBy(s => s.Key, StringComparer.Ordinal))
            {
                var ordered = group.OrderBy(s => s.MethodToken).ToList();
                result.Add(ordered[0]);
                for (var i = 1; i < ordered.Count; i++)
                {
                    var distinct = ordered[i] with { Key = $"{group.Key}${i + 1}" };
                    result.Add(distinct);
                    _warnings.Add(new ScanWarning(
                        DiagnosticCodes.DuplicateKey,
                        $"Methods at {ordered[0].Location} and {ordered[i].Location} share the documentation comment ID '{group.Key}' (overloads that differ only in function pointer types do); the second is keyed '{distinct.Key}'.",
                        ordered[i].File,
                        ordered[i].Line));
                }
            }

            result.Sort(static (a, b) =>
            {
                var byFile = string.CompareOrdinal(a.File, b.File);
                return byFile != 0 ? byFile : a.Line != b.Line ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.Key, b.Key);
            });
            return result;
        }
    }
}
