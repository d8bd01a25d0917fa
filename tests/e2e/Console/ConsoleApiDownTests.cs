using System.Net;
using k8s;
using k8s.Models;
using KubeWeb.E2E.Infrastructure;
using KubeWeb.Host.Hosting;
using KubeWeb.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KubeWeb.E2E.Console;

/// <summary>
/// The console when the API goes away and comes back: its client reaches the API through a relay
/// the test cuts (connection refused, open watches reset). The banner must appear, the list must
/// be marked stale, and after the relay is back the banner must go and a change made after the
/// recovery must show in the same list without a reload.
/// </summary>
[Trait("Category", "E2E")]
[Trait("Category", "Browser")]
[Collection(ConsoleBrowserCollection.Name)]
public sealed class ConsoleApiDownTests : IAsyncLifetime
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 30_000 };
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "kw-apidown-" + Guid.NewGuid().ToString("N")[..8]);
    private ServerHost _server = default!;
    private ConsoleBrowser _browser = default!;
    private TcpRelay _relay = default!;
    private Kubernetes _client = default!;

    public async Task InitializeAsync()
    {
        _server = await ServerHost.StartAsync(new ServerSettings { DataDir = _dataDir, HttpsPort = 0, BindAddress = IPAddress.Loopback },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        var api = new Uri(_server.Url);
        _relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, api.Port));
        _relay.Start();

        // Before any sign-in: the console resolves its API address once, on first use.
        _server.Services.GetRequiredService<ConsoleOptions>().ApiServerUrl = new Uri($"https://127.0.0.1:{_relay.Port}/");
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_server.KubeconfigPath));
        _browser = await ConsoleBrowser.LaunchAsync();
    }

    [Fact]
    public async Task ApiGoesAway_BannerAndStaleList_ThenRecoversByItself()
    {
        var page = await _browser.NewPageAsync(_server.Url);
        try
        {
            await ConsoleBrowser.SignInAsync(page, _server.AdminToken);
            await page.EvaluateAsync("() => { window.__noReload = true; }");
            await page.ClickAsync("#nav-configmaps");
            await CreateConfigMapAsync("before");
            await Expect(page.Locator("#resource-table tr[data-name='before']")).ToBeVisibleAsync(Slow);
            await Expect(page.Locator("#api-down")).ToHaveCountAsync(0);

            _relay.Stop();
            await Expect(page.Locator("#api-down")).ToBeVisibleAsync(Slow);
            await Expect(page.Locator("#api-down")).ToContainTextAsync("cannot be reached");
            await Expect(page.Locator("#resource-table")).ToHaveAttributeAsync("data-stale", "true");
            await Expect(page.Locator("#resource-table tr[data-name='before']")).ToBeVisibleAsync();
            await _browser.ScreenshotAsync(page, "32-api-down");

            // A page opened while the API is away shows its cards as stale too.
            await page.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
            await Expect(page.Locator("#overview-pods")).ToHaveAttributeAsync("data-stale", "true", new() { Timeout = 30_000 });

            _relay.Start();
            await Expect(page.Locator("#api-down")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await Expect(page.Locator("#overview-pods")).ToHaveAttributeAsync("data-stale", "false", new() { Timeout = 30_000 });
            await page.ClickAsync("#nav-configmaps");
            await CreateConfigMapAsync("after");
            await Expect(page.Locator("#resource-table tr[data-name='after']")).ToBeVisibleAsync(Slow);
            await Expect(page.Locator("#resource-table")).ToHaveAttributeAsync("data-stale", "false");
            Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"), "the page reloaded");
        }
        finally
        {
            await ConsoleBrowser.CloseAsync(page);
        }

        Assert.Empty(_browser.ExternalRequests);
    }

    private Task CreateConfigMapAsync(string name) =>
        _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["k"] = "v" } }, "default");

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }

        if (_server is not null)
        {
            try
            {
                await _server.DisposeAsync();
            }
            catch (ObjectDisposedException)
            {
                // As in ConsoleFixture: the API's store is disposed twice on shutdown.
            }
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
