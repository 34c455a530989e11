namespace Coldmod.Cli.Internal.Connect;

// The server ended the connect stream while the CLI still wanted it: a stopping or restarting server.
internal sealed class ServerGoneException(string message) : Exception(message);
