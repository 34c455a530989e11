namespace Coldmod.Cli;

internal static class ExitCodes
{
    public const int Success = 0;

    // Something to fix outside the command line: a missing or malformed rootmarker, no build to read.
    public const int Failure = 1;

    // The command line itself is wrong; scripts can tell a typo from a broken checkout.
    public const int Usage = 2;
}
