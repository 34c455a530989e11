namespace Coldmod.Cli.Internal.Connect;

// What the CLI answers a page's command with: ok and what was done, or why not.
internal sealed record CommandOutcome(bool Ok, string Output, string Error)
{
    public static CommandOutcome Refused(string error) => new(false, "", error);
}
