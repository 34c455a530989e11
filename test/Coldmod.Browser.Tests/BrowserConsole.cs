using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Coldmod.Browser.Tests;

internal static class BrowserConsole
{
    // Opens the page and waits for its live connection; when it does not come, the browser's console says why.
    public static async Task OpenLiveAsync(IPage page, Uri address)
    {
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
        page.RequestFailed += (_, request) => console.Add($"request failed: {request.Url} {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                console.Add($"{response.Status}: {response.Url}");
            }
        };
        page.WebSocket += (_, socket) => socket.Close += (_, _) => console.Add($"websocket closed: {socket.Url}");
        await page.GotoAsync(address.ToString());
        try
        {
            await Expect(page.GetByTestId("live")).ToHaveTextAsync("live", new() { Timeout = 15_000 });
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException($"the page did not go live: {e.Message}\nbrowser console:\n{string.Join('\n', console)}", e);
        }
    }
}
