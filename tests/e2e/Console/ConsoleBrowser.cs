using Microsoft.Playwright;

namespace KubeWeb.E2E.Console;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download), shared by the console fixtures.
/// Every request a page makes is checked: anything not to this machine is recorded and aborted.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public string ScreenshotDir { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Requests to hosts other than this machine (must stay empty).</summary>
    public List<string> ExternalRequests { get; } = [];

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        var b = new ConsoleBrowser();
        Directory.CreateDirectory(b.ScreenshotDir);
        b._playwright = await Playwright.CreateAsync();
        b.Browser = await b._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        return b;
    }

    /// <summary>A fresh browser context (cookies, storage) at 1280×800 whose requests are confined to this machine.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            BaseURL = baseUrl,
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

    public static async Task SignInAsync(IPage page, string token)
    {
        await GotoAsync(page, "/");
        await page.FillAsync("#token", token);
        await page.ClickAsync("#signin-submit");
        // The circuit can take long to start on a loaded machine (a test run on 2 cores).
        await page.WaitForSelectorAsync("#console-main[data-interactive='true']", new() { Timeout = 90_000 });
    }

    /// <summary>
    /// A full navigation, run again when Chromium aborts it with ERR_NETWORK_CHANGED: a containerd
    /// pod starting anywhere on the machine (other test classes, other helpers) adds a veth, which
    /// Chromium takes for a network change and fails the loads in flight.
    /// </summary>
    public static async Task GotoAsync(IPage page, string url)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.GotoAsync(url);
                return;
            }
            catch (PlaywrightException e) when (attempt < 5 && e.Message.Contains("ERR_NETWORK_CHANGED", StringComparison.Ordinal))
            {
            }
        }
    }

    /// <summary>
    /// <see cref="GotoAsync"/>, then waits for <paramref name="readySelector"/>; loads the page once
    /// more when it does not appear (a network change can drop the circuit's WebSocket right after
    /// the load, leaving the page without its interactive parts until a reload).
    /// </summary>
    public static async Task GotoUntilAsync(IPage page, string url, string readySelector)
    {
        for (var attempt = 1; ; attempt++)
        {
            await GotoAsync(page, url);
            try
            {
                await page.WaitForSelectorAsync(readySelector, new() { Timeout = 30_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public static async Task CloseAsync(IPage page)
    {
        // Unload properly so the Blazor circuit closes and server shutdown does not wait for it.
        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        await page.Context.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>
/// Browser scenarios run apart from the other test classes: a Blazor circuit starting while a
/// dozen servers, simulated nodes and containerd pods compete for two cores can miss its wait.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleBrowserCollection
{
    public const string Name = "Console browser";
}
