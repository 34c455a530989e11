using Coldmod.Cli.Commands;
using Coldmod.Cli.Options;
using Coldmod.Weaver;

namespace Coldmod.Cli.Internal;

// Reads the srcs of the local builds for the verbs that take BuildOptions: the Release builds under the root by
// default, another configuration with -c, or the assemblies given with -a.
internal sealed class LocalBuilds
{
    private const string DefaultConfiguration = "Release";

    private readonly CommandContext _context;
    private readonly SourceRootArguments _sourceRoots;
    private readonly string _configuration;
    private readonly List<string> _assemblies;
    private readonly Action<string>? _note;
    private readonly bool _useCache;

    private LocalBuilds(CommandContext context, BuildOptions options)
    {
        _context = context;
        _sourceRoots = SourceRootArguments.Parse(options.SourceRoots);
        _configuration = ConfigurationName(options.Configuration);
        _assemblies = [.. options.Assemblies];
        _note = options.Verbose ? message => context.Error.WriteLine(DiagnosticText.Note(message)) : null;
        _useCache = !options.NoCache;
    }

    // Command-line mistakes are reported here, before the disk is touched, so they always exit with the usage code.
    public static LocalBuilds FromOptions(BuildOptions options, CommandContext context) => new(context, options);

    public LocalSrcs Read()
    {
        var root = RootMarker.Find(_context.WorkingDirectory);
        var sourceRoots = _sourceRoots.Resolve(root);
        var scanner = new Scanner(root, sourceRoots, _useCache ? SrcsCache.For(root, _context.AssemblyScanned) : null, _context.AssemblyScanned);
        var scans = _assemblies.Count > 0 ? ReadAssemblies(root, scanner) : ReadBuilds(root, scanner);

        // A multi-targeted project yields the same srcs once per target framework.
        var srcs = scans
            .SelectMany(s => s.Srcs)
            .DistinctBy(s => (s.Key, s.File, s.Line))
            .OrderBy(s => s.File, StringComparer.Ordinal)
            .ThenBy(s => s.Line)
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        return new LocalSrcs(root, sourceRoots, scans, srcs);
    }

    private List<SrcScan> ReadBuilds(RootMarker root, Scanner scanner)
    {
        var skippedCount = 0;
        var candidates = BuildOutputs.FindScannable(root, _configuration, (path, reason) =>
        {
            skippedCount++;
            _note?.Invoke($"skipped {Show(root, path)}: {reason}");
        });

        var scans = new List<SrcScan>();
        foreach (var path in candidates)
        {
            SrcScan scan;
            try
            {
                scan = scanner.Scan(path);
            }
            catch (ColdmodException e)
            {
                // Found by searching, so most likely a dependency (say, one shipped with a Windows PDB), not the user's to fix.
                skippedCount++;
                _note?.Invoke($"skipped {Show(root, path)}: {e.Message}");
                continue;
            }

            if (!scan.HasDocumentsUnderRoot)
            {
                skippedCount++;
                _note?.Invoke($"skipped {Show(root, path)}: none of its PDB documents is under the root (a dependency, or built from another checkout)");
                continue;
            }

            _note?.Invoke($"read {Show(root, path)}: {Plural.Count(scan.Srcs.Count, "src")}");
            scans.Add(scan);
        }

        if (scans.Count == 0)
        {
            var looked = $"bin/{_configuration}/**/*.dll";
            var build = $"build one with: dotnet build -c {_configuration}";
            var message = skippedCount == 0
                ? $"No {_configuration} build found under {root.RootDirectory} (looked for {looked} with a portable PDB); {build}"
                : $"No {_configuration} build of the sources under {root.RootDirectory} found: of {Plural.Count(skippedCount, "file")} matching {looked}, none has a portable PDB whose documents are under the root (-v tells why each was skipped); {build}";
            throw new ColdmodException(DiagnosticCodes.NoBuildFound, message);
        }

        return scans;
    }

    private List<SrcScan> ReadAssemblies(RootMarker root, Scanner scanner)
    {
        var paths = _assemblies.Select(_context.FullPath).ToList();
        var missing = paths.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null)
        {
            throw new ColdmodException(DiagnosticCodes.AssemblyUnreadable, $"Assembly not found: {missing}");
        }

        var scans = new List<SrcScan>();
        foreach (var path in BuildOutputs.Distinct(paths, (copy, reason) => _note?.Invoke($"skipped {Show(root, copy)}: {reason}")))
        {
            var scan = scanner.Scan(path);
            if (scan.HasDocumentsUnderRoot)
            {
                _note?.Invoke($"read {Show(root, path)}: {Plural.Count(scan.Srcs.Count, "src")}");
                scans.Add(scan);
                continue;
            }

            // The user named this assembly, so it is not skipped silently as a searched-for one would be.
            if (!scan.Warnings.Any(w => w.Code == DiagnosticCodes.PdbMissing))
            {
                _context.Error.WriteLine(DiagnosticText.Warning(
                    path,
                    $"none of its PDB documents is under the root {root.RootDirectory}, so nothing in it is traced; it is a dependency or was built from another checkout (map a deterministic build's paths with --source-root MAPPED=LOCAL)"));
            }

            foreach (var warning in scan.Warnings)
            {
                _context.Error.WriteLine(DiagnosticText.Warning(warning));
            }
        }

        if (scans.Count == 0)
        {
            throw new ColdmodException(
                DiagnosticCodes.NoBuildFound,
                $"None of the given assemblies was built from the sources under {root.RootDirectory} with a portable PDB (see the warnings above).");
        }

        return scans;
    }

    private static string ConfigurationName(string? value)
    {
        if (value is null)
        {
            return DefaultConfiguration;
        }

        if (value.Trim().Length == 0 || value.IndexOfAny(['/', '\\']) >= 0 || value is "." or "..")
        {
            throw new UsageException($"--configuration '{value}' must be a configuration name such as Release or Debug (the folder under bin/), not a path.");
        }

        return value;
    }

    private static string Show(RootMarker root, string path) => root.ToRelativePath(path) ?? path;

    // Unchanged assemblies are read from .coldmod-cache/ unless --no-cache asks for a fresh scan.
    private sealed class Scanner(RootMarker root, SourceRootMap sourceRoots, SrcsCache? cache, Action<string>? scanned)
    {
        public SrcScan Scan(string path)
        {
            if (cache is not null)
            {
                return cache.Scan(path, sourceRoots);
            }

            scanned?.Invoke(Path.GetFullPath(path));
            return SrcScanner.Scan(path, root, sourceRoots);
        }
    }
}
