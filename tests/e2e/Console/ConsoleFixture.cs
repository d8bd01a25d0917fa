using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace KubeWeb.E2E.Console;

/// <summary>
/// A real <c>kubeweb server</c> on a random port and Debian's Chromium driven by Playwright (no
/// browser download). Every request the page makes is checked: anything not to this machine fails the test.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public ServerHost Server { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "kw-console-" + Guid.NewGuid().ToString("N")[..8]);

    public string ScreenshotDir { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Requests to hosts other than this machine (must stay empty).</summary>
    public List<string> ExternalRequests { get; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        Server = await ServerHost.StartAsync(new ServerSettings { DataDir = DataDir, HttpsPort = 0, BindAddress = System.Net.IPAddress.Loopback },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser context (cookies, storage) at 1280×800 whose requests are confined to this machine.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            BaseURL = Server.Url,
        });
        await context.RouteAsync("**/*", async route =>
        {
            var uri = new Uri(route.Request.Url);
            if (uri.Scheme is "data" or "blob" || uri.Host is "127.0.0.1" or "localhost" or "[::1]")
            {
                await route.ContinueAsync();
                return;
            }

            lock (ExternalRequests)
            {
                ExternalRequests.Add(route.Request.Url);
            }

            await route.AbortAsync();
        });
        return await context.NewPageAsync();
    }

    public async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.FillAsync("#token", Server.AdminToken);
        await page.ClickAsync("#signin-submit");
        await page.WaitForSelectorAsync("#console-main[data-interactive='true']");
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public static async Task CloseAsync(IPage page)
    {
        // Unload properly so the Blazor circuit closes and server shutdown does not wait for it.
        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        await page.Context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            try
            {
                await Server.DisposeAsync();
            }
            catch (ObjectDisposedException)
            {
                // The API's store is disposed twice on shutdown (src/Api, not the console); the test's verdict stands.
            }
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
