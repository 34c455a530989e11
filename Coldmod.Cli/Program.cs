using System.Globalization;
using Coldmod.Cli.Commands;
using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;
using Coldmod.Weaver;
using CommandLine;

namespace Coldmod.Cli;

internal static class Program
{
    private static int Main(string[] args) =>
        Run(args, Console.Out, Console.Error, Environment.CurrentDirectory);

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory) =>
        Run(args, new CommandContext(stdout, stderr, Path.GetFullPath(workingDirectory)));

    internal static int Run(string[] args, CommandContext context)
    {
        // 'reset --version ID' names a build to drop; everywhere else --version prints the tool's version.
        using var parser = CreateParser(autoVersion: args.Length == 0 || args[0] != "reset");
        var result = Parse(parser, args);
        if (result.Tag == ParserResultType.Parsed && MissingOptionValues.FindFirst(args, result.TypeInfo.Current) is { } option)
        {
            return UsageScreens.ShowMissingValue(option, result.TypeInfo.Current, context);
        }

        return result.MapResult(
            (FilesOptions options) => Dispatch(context, new FilesCommand(context), options),
            (SrcsOptions options) => Dispatch(context, new SrcsCommand(context), options),
            (FetchOptions options) => Dispatch(context, new FetchCommand(context), options),
            (ServeOptions options) => Dispatch(context, new ServeCommand(context), options),
            (IgnoreOptions options) => Dispatch(context, new IgnoreCommand(context), options),
            (ResetOptions options) => Dispatch(context, new ResetCommand(context), options),
            (CacheOptions options) => Dispatch(context, new CacheCommand(context), options),
            (VersionsOptions options) => Dispatch(context, new VersionsCommand(context), options),
            (RemoveOptions options) => Dispatch(context, new RemoveCommand(context), options),
            (StatusOptions options) => Dispatch(context, new StatusCommand(context), options),
            (WebOptions options) => Dispatch(context, new WebCommand(context), options),
            (InitOptions options) => Dispatch(context, new InitCommand(context), options),
            (ConnectOptions options) => Dispatch(context, new ConnectCommand(context), options),
            errors => UsageScreens.Show(result, errors, context, helpArgs => Parse(parser, helpArgs)));
    }

    private static ParserResult<object> Parse(Parser parser, string[] args) =>
        parser.ParseArguments<FilesOptions, SrcsOptions, FetchOptions, ServeOptions, IgnoreOptions, ResetOptions, CacheOptions, VersionsOptions, RemoveOptions, StatusOptions, WebOptions, InitOptions, ConnectOptions>(args);

    private static Parser CreateParser(bool autoVersion) => new(settings =>
    {
        settings.HelpWriter = null;
        settings.AutoHelp = true;
        settings.AutoVersion = autoVersion;
        settings.CaseSensitive = true;
        settings.AllowMultiInstance = true;
        settings.EnableDashDash = true;
        settings.ParsingCulture = CultureInfo.InvariantCulture;
    });

    private static int Dispatch<TOptions>(CommandContext context, ICommand<TOptions> command, TOptions options)
    {
        try
        {
            return command.Execute(options);
        }
        catch (UsageException e)
        {
            context.Error.WriteLine(DiagnosticText.PlainError(e.Message));
            context.Error.WriteLine(UsageScreens.HelpHint(typeof(TOptions)));
            return ExitCodes.Usage;
        }
        catch (CommandFailedException e)
        {
            context.Error.WriteLine(DiagnosticText.PlainError(e.Message));
            return ExitCodes.Failure;
        }
        catch (ColdmodException e)
        {
            context.Error.WriteLine(DiagnosticText.Error(e));
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable directory or a file replaced mid-build is the machine's state, not a bug to trace back.
            context.Error.WriteLine(DiagnosticText.PlainError(e.Message));
            return ExitCodes.Failure;
        }
    }
}
