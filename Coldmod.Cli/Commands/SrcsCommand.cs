using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;
using Coldmod.Weaver;

namespace Coldmod.Cli.Commands;

internal sealed class SrcsCommand(CommandContext context) : ICommand<SrcsOptions>
{
    private const string DefaultConfiguration = "Release";

    public int Execute(SrcsOptions options)
    {
        // Command-line mistakes are reported before the disk is touched, so they always exit with the usage code.
        var sourceRoots = SourceRootArguments.Parse(options.SourceRoots, context.WorkingDirectory);
        var configuration = ConfigurationName(options.Configuration);
        var assemblies = options.Assemblies.ToList();
        Action<string>? note = options.Verbose ? message => context.Error.WriteLine(DiagnosticText.Note(message)) : null;

        var root = RootMarker.Find(context.WorkingDirectory);
        var scans = assemblies.Count > 0
            ? ReadAssemblies(root, assemblies, sourceRoots, note)
            : ReadBuilds(root, configuration, sourceRoots, note);

        // A multi-targeted project yields the same srcs once per target framework.
        var srcs = scans
            .SelectMany(s => s.Srcs)
            .DistinctBy(s => (s.Key, s.File, s.Line))
            .OrderBy(s => s.File, StringComparer.Ordinal)
            .ThenBy(s => s.Line)
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .ToList();

        foreach (var warning in scans.SelectMany(s => s.Warnings).Select(DiagnosticText.Warning).Distinct(StringComparer.Ordinal))
        {
            context.Error.WriteLine(warning);
        }

        WriteListing(srcs);
        var fileCount = srcs.Select(s => s.File).Distinct(StringComparer.Ordinal).Count();
        context.Error.WriteLine($"{Count(srcs.Count, "src")} in {Count(fileCount, "file")} from {Count(scans.Count, "assembly", "assemblies")}");
        return ExitCodes.Success;
    }

    private List<SrcScan> ReadBuilds(RootMarker root, string configuration, SourceRootMap sourceRoots, Action<string>? note)
    {
        var skippedCount = 0;
        var candidates = BuildOutputs.FindScannable(root, configuration, (path, reason) =>
        {
            skippedCount++;
            note?.Invoke($"skipped {Show(root, path)}: {reason}");
        });

        var scans = new List<SrcScan>();
        foreach (var path in candidates)
        {
            SrcScan scan;
            try
            {
                scan = SrcScanner.Scan(path, root, sourceRoots);
            }
            catch (ColdmodException e)
            {
                // Found by searching, so most likely a dependency (say, one shipped with a Windows PDB), not the user's to fix.
                skippedCount++;
                note?.Invoke($"skipped {Show(root, path)}: {e.Message}");
                continue;
            }

            if (!scan.HasDocumentsUnderRoot)
            {
                skippedCount++;
                note?.Invoke($"skipped {Show(root, path)}: none of its PDB documents is under the root (a dependency, or built from another checkout)");
                continue;
            }

            note?.Invoke($"read {Show(root, path)}: {Count(scan.Srcs.Count, "src")}");
            scans.Add(scan);
        }

        if (scans.Count == 0)
        {
            var looked = $"bin/{configuration}/**/*.dll";
            var build = $"build one with: dotnet build -c {configuration}";
            var message = skippedCount == 0
                ? $"No {configuration} build found under {root.RootDirectory} (looked for {looked} with a portable PDB); {build}"
                : $"No {configuration} build of the sources under {root.RootDirectory} found: of {Count(skippedCount, "file")} matching {looked}, none has a portable PDB whose documents are under the root (-v tells why each was skipped); {build}";
            throw new ColdmodException(DiagnosticCodes.NoBuildFound, message);
        }

        return scans;
    }

    private List<SrcScan> ReadAssemblies(RootMarker root, List<string> assemblies, SourceRootMap sourceRoots, Action<string>? note)
    {
        var paths = assemblies.Select(context.FullPath).ToList();
        var missing = paths.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null)
        {
            throw new ColdmodException(DiagnosticCodes.AssemblyUnreadable, $"Assembly not found: {missing}");
        }

        var scans = new List<SrcScan>();
        foreach (var path in BuildOutputs.Distinct(paths, (copy, reason) => note?.Invoke($"skipped {Show(root, copy)}: {reason}")))
        {
            var scan = SrcScanner.Scan(path, root, sourceRoots);
            if (scan.HasDocumentsUnderRoot)
            {
                note?.Invoke($"read {Show(root, path)}: {Count(scan.Srcs.Count, "src")}");
                scans.Add(scan);
                continue;
            }

            // The user named this assembly, so it is not skipped silently as a searched-for one would be.
            if (!scan.Warnings.Any(w => w.Code == DiagnosticCodes.PdbMissing))
            {
                context.Error.WriteLine(DiagnosticText.Warning(
                    path,
                    $"none of its PDB documents is under the root {root.RootDirectory}, so nothing in it is traced; it is a dependency or was built from another checkout (map a deterministic build's paths with --source-root MAPPED=LOCAL)"));
            }

            foreach (var warning in scan.Warnings)
            {
                context.Error.WriteLine(DiagnosticText.Warning(warning));
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

    private void WriteListing(List<TraceSrc> srcs)
    {
        string? file = null;
        foreach (var src in srcs)
        {
            if (!string.Equals(src.File, file, StringComparison.Ordinal))
            {
                file = src.File;
                context.Out.WriteLine(file);
            }

            context.Out.WriteLine($"  {src.Key}  {src.Location}");
        }
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

    private static string Count(int count, string one, string? many = null) =>
        count == 1 ? $"1 {one}" : $"{count} {many ?? one + "s"}";
}
