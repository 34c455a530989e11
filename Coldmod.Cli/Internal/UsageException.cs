namespace Coldmod.Cli.Internal;

// An option value the parser accepted but the command cannot use: still the command line's fault (exit code 2).
internal sealed class UsageException(string message) : Exception(message);
