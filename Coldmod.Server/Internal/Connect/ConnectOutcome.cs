namespace Coldmod.Server.Internal.Connect;

// What became of one command sent to a session's CLI: its output when it was carried out, else why not.
internal sealed record ConnectOutcome(bool Ok, string Output, string Error)
{
    public static ConnectOutcome Failed(string error) => new(false, "", error);
}
