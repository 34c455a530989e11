namespace Coldmod.Cli.Internal;

// Something outside the command line stopped the command (an unreachable server, an unknown app): exit code 1,
// with the message as the one line the user reads.
internal sealed class CommandFailedException(string message) : Exception(message);
