using System.Reflection;
using Coldmod.Cli.Commands;
using Coldmod.Cli.Options;
using CommandLine;
using CommandLine.Text;

namespace Coldmod.Cli.Internal;

// Help, the version, or what is wrong with the command line. The parser's own help writer is off because it
// prints all of these to one writer, headed by the entry assembly's name (the test host's, in tests); here
// asked-for help goes to stdout with exit code 0 and mistakes go to stderr with exit code 2.
internal static class UsageScreens
{
    private const int DisplayWidth = 110;

    private static readonly string[] s_overview =
    [
        "Coldmod finds cold code: methods that never run in production. This tool lists what Coldmod traces in",
        "the checkout around the working directory, and which of it never ran; run it in or below the directory",
        "of coldmod.rootmarker.",
        "",
        "Usage: coldmod <verb> [options]",
    ];

    private static readonly string[] s_overviewFooter =
    [
        "",
        "Run 'coldmod <verb> --help' for the options of a verb.",
        "Exit codes: 0 done; 1 something to fix (no or a malformed coldmod.rootmarker, no build, an unreadable",
        "heatmap file, an unreachable server); 2 a bad command line.",
    ];

    public static string Version { get; } = ReadVersion();

    // parse runs the same parser on other arguments: "coldmod help srcs" is answered as "coldmod srcs --help" is.
    public static int Show(ParserResult<object> result, IEnumerable<Error> errors, CommandContext context, Func<string[], ParserResult<object>> parse)
    {
        var errorList = errors.ToList();
        if (errorList.Any(e => e.Tag == ErrorType.VersionRequestedError))
        {
            context.Out.WriteLine($"coldmod {Version}");
            return ExitCodes.Success;
        }

        if (errorList.OfType<HelpVerbRequestedError>().FirstOrDefault() is { } helpVerb)
        {
            context.Out.WriteLine(helpVerb.Matched ? Render(parse([helpVerb.Verb, "--help"])) : Render(result));
            return ExitCodes.Success;
        }

        if (errorList.Any(e => e.Tag == ErrorType.HelpRequestedError))
        {
            context.Out.WriteLine(Render(result));
            return ExitCodes.Success;
        }

        if (errorList.Any(e => e.Tag == ErrorType.NoVerbSelectedError))
        {
            context.Error.WriteLine(DiagnosticText.PlainError("no verb given."));
            context.Error.WriteLine(Render(result));
            return ExitCodes.Usage;
        }

        var sentences = SentenceBuilder.Create();
        var lines = HelpText.RenderParsingErrorsTextAsLines(result, sentences.FormatError, sentences.FormatMutuallyExclusiveSetErrors, 0);
        foreach (var line in lines.Where(l => l.Trim().Length > 0))
        {
            context.Error.WriteLine(DiagnosticText.PlainError(line.Trim()));
        }

        context.Error.WriteLine(HelpHint(result.TypeInfo.Current));
        return ExitCodes.Usage;
    }

    public static int ShowMissingValue(string option, Type verbType, CommandContext context)
    {
        context.Error.WriteLine(DiagnosticText.PlainError($"Option '{option}' needs a value."));
        context.Error.WriteLine(HelpHint(verbType));
        return ExitCodes.Usage;
    }

    public static string HelpHint(Type? verbType) => VerbName(verbType) is { } verb
        ? $"Run 'coldmod {verb} --help' for its options."
        : "Run 'coldmod --help' for the verbs.";

    private static string Render(ParserResult<object> result)
    {
        var verbType = VerbName(result.TypeInfo.Current) is null ? null : result.TypeInfo.Current;
        var help = new HelpText(SentenceBuilder.Create(), $"coldmod {Version}")
        {
            Copyright = string.Empty,
            AdditionalNewLineAfterOption = false,
            AddDashesToOption = verbType is not null,
            MaximumDisplayWidth = DisplayWidth,
        };

        if (verbType is null)
        {
            help.AddPreOptionsLines(s_overview);
            help.AddVerbs(result.TypeInfo.Choices.ToArray());
            help.AddPostOptionsLines(s_overviewFooter);
        }
        else
        {
            help.AddPreOptionsLines(Details(verbType));
            help.AddOptions(result);
        }

        return help.ToString().TrimEnd();
    }

    private static IReadOnlyList<string> Details(Type verbType) => verbType switch
    {
        _ when verbType == typeof(FilesOptions) => FilesOptions.Details,
        _ when verbType == typeof(SrcsOptions) => SrcsOptions.Details,
        _ when verbType == typeof(FetchOptions) => FetchOptions.Details,
        _ when verbType == typeof(ServeOptions) => ServeOptions.Details,
        _ when verbType == typeof(IgnoreOptions) => IgnoreOptions.Details,
        _ when verbType == typeof(ResetOptions) => ResetOptions.Details,
        _ when verbType == typeof(CacheOptions) => CacheOptions.Details,
        _ when verbType == typeof(VersionsOptions) => VersionsOptions.Details,
        _ when verbType == typeof(RemoveOptions) => RemoveOptions.Details,
        _ when verbType == typeof(StatusOptions) => StatusOptions.Details,
        _ when verbType == typeof(WebOptions) => WebOptions.Details,
        _ when verbType == typeof(InitOptions) => InitOptions.Details,
        _ when verbType == typeof(ConnectOptions) => ConnectOptions.Details,
        _ => [],
    };

    private static string? VerbName(Type? type) => type?.GetCustomAttribute<VerbAttribute>()?.Name;

    private static string ReadVersion()
    {
        var informational = typeof(UsageScreens).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

        // The SDK appends "+<commit>"; the commit is noise in a version line.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
