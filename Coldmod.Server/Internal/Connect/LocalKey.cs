namespace Coldmod.Server.Internal.Connect;

// One key of the connected checkout's local build: where it is declared now and how many calls its build has to it.
internal sealed record LocalKey(string Key, string File, int Line, int References);
