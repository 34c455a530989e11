using System.Runtime.CompilerServices;

namespace Coldmod.TestSupport;

/// <summary>
/// An approved-file check: the text must equal <c>Approved/NAME.approved.txt</c> beside the calling test's source.
/// On a difference (or a first run) the actual text is written to <c>NAME.received.txt</c> there and the check
/// fails; renaming it to <c>.approved.txt</c> approves it. Line endings are compared as LF.
/// </summary>
public static class ApprovedFile
{
    public static void Verify(string name, string actual, [CallerFilePath] string callerFile = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Approved");
        var approvedPath = Path.Combine(directory, name + ".approved.txt");
        var receivedPath = Path.Combine(directory, name + ".received.txt");
        var normalized = actual.ReplaceLineEndings("\n");

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : null;
        if (approved == normalized)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, normalized);
        throw new InvalidOperationException(approved is null
            ? $"No approved text for {name}; the received text is in {receivedPath}. Review it and rename it to {Path.GetFileName(approvedPath)}."
            : $"The text of {name} changed; compare {receivedPath} with {approvedPath} and approve it if the change is intended.");
    }
}
