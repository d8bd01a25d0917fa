using KubeWeb.E2E.Cluster;
using Microsoft.Playwright;

namespace KubeWeb.E2E.Console;

/// <summary>The console on a whole simulated cluster (API, controllers, scheduler, simulated nodes), so pods really run and move.</summary>
public sealed class ConsoleClusterFixture : IAsyncLifetime
{
    private ConsoleBrowser _browser = default!;

    public SimulatedCluster Cluster { get; } = new();

    public List<string> ExternalRequests => _browser.ExternalRequests;

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        _browser = await ConsoleBrowser.LaunchAsync();
    }

    public Task<IPage> NewPageAsync() => _browser.NewPageAsync(Cluster.Server.Url);

    public Task SignInAsync(IPage page) => ConsoleBrowser.SignInAsync(page, Cluster.Server.AdminToken);

    public Task ScreenshotAsync(IPage page, string name) => _browser.ScreenshotAsync(page, name);

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        await Cluster.DisposeAsync();
    }
}
