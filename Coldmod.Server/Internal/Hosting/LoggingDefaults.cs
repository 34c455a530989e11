using Coldmod.Server.Internal.Configuration;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Hosting;

// The server's own levels, put before every other rule: a rule for the same category from configuration
// (Logging__LogLevel__Microsoft.AspNetCore=Information, appsettings) or from a host's code comes later and so wins.
// ASP.NET Core and grpc-dotnet log every request, and every client that goes away, at Information; a server that
// apps report to all day would print little else. Microsoft.Hosting.Lifetime goes with them: the server's own
// "Coldmod server: gRPC on …, web on …" line already says where it listens, and the lifetime's lines would repeat the
// addresses and print the install directory as the content root, which is not where the store is.
internal sealed class LoggingDefaults(IConfiguration configuration) : IConfigureOptions<LoggerFilterOptions>
{
    public const string OwnCategory = "Coldmod";

    private static readonly string[] s_frameworkCategories = ["Microsoft.AspNetCore", "Microsoft.Hosting.Lifetime", "Grpc"];

    public void Configure(LoggerFilterOptions options)
    {
        var defaults = s_frameworkCategories.Select(category => new LoggerFilterRule(null, category, LogLevel.Warning, null)).ToList();
        // A bad value is refused at start by the settings' validation; until then it leaves the level alone.
        if (ServerOptionsSetup.Read(configuration).LogLevel is { Length: > 0 } setting && LogLevelSetting.TryParse(setting, out var level, out _))
        {
            defaults.Add(new LoggerFilterRule(null, OwnCategory, level, null));
        }

        for (var i = 0; i < defaults.Count; i++)
        {
            options.Rules.Insert(i, defaults[i]);
        }
    }
}
