namespace Coldmod.Server.Internal.Connect;

internal sealed class ConnectOptions
{
    // A command the CLI has not answered by then is reported as not answered; the page must not hang on a stuck CLI.
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    // A session whose CLI went away is kept this long so a reconnecting CLI and its open page find it again.
    public TimeSpan KeepDisconnected { get; set; } = TimeSpan.FromHours(1);
}
