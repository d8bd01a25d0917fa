using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace KubeWeb.E2E.Console;

/// <summary>A real <c>kubeweb server</c> (no nodes) on a random port and the console's browser.</summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private ConsoleBrowser _browser = default!;

    public ServerHost Server { get; private set; } = default!;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "kw-console-" + Guid.NewGuid().ToString("N")[..8]);

    public string ScreenshotDir => _browser.ScreenshotDir;

    /// <summary>Requests to hosts other than this machine (must stay empty).</summary>
    public List<string> ExternalRequests => _browser.ExternalRequests;

    public async Task InitializeAsync()
    {
        Server = await ServerHost.StartAsync(new ServerSettings { DataDir = DataDir, HttpsPort = 0, BindAddress = System.Net.IPAddress.Loopback },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        _browser = await ConsoleBrowser.LaunchAsync();
    }

    public Task<IPage> NewPageAsync() => _browser.NewPageAsync(Server.Url);

    public Task SignInAsync(IPage page) => ConsoleBrowser.SignInAsync(page, Server.AdminToken);

    public Task ScreenshotAsync(IPage page, string name) => _browser.ScreenshotAsync(page, name);

    public static Task CloseAsync(IPage page) => ConsoleBrowser.CloseAsync(page);

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

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
