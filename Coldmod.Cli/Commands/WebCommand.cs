using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;

namespace Coldmod.Cli.Commands;

internal sealed class WebCommand(CommandContext context) : ICommand<WebOptions>
{
    public int Execute(WebOptions options)
    {
        var url = WebPage.BaseUrl(options.WebHost, context);
        context.Out.WriteLine(url);
        if (!options.NoOpen)
        {
            WebPage.OpenWhenDisplayed(url, context);
        }

        return ExitCodes.Success;
    }
}
