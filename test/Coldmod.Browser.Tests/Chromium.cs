using Microsoft.Playwright;

namespace Coldmod.Browser.Tests;

// Debian's Chromium (build/test.sh installs it), never a browser download; one per test class, each test in a
// fresh context of its own. Launch gives the browser a fresh temporary profile (a user-data-dir of its own).
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public static BrowserTypeLaunchOptions LaunchOptions => new()
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        Timeout = 60_000,
        Args =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
        ],
    };

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (build/test.sh does: apt-get install -y chromium).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(LaunchOptions);
    }

    public Task<IBrowserContext> NewContextAsync(string? password = null, string? user = "coldmod") => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        HttpCredentials = password is null ? null : new HttpCredentials { Username = user!, Password = password },
        AcceptDownloads = true,
        // The test servers' TLS certificates come from a CA made for the test.
        IgnoreHTTPSErrors = true,
        ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
    });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
