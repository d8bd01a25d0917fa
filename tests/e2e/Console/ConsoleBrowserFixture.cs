using KubeWeb.Host.Hosting;
using Microsoft.Playwright;

namespace KubeWeb.E2E.Console;

/// <summary>
/// A cluster fixture (<typeparamref name="TCluster"/>: started first, stopped last) plus the
/// console's browser, signed in against that cluster's server.
/// </summary>
public abstract class ConsoleBrowserFixture<TCluster> : IAsyncLifetime
    where TCluster : IAsyncLifetime
{
    private ConsoleBrowser _browser = default!;

    protected ConsoleBrowserFixture(TCluster cluster) => Cluster = cluster;

    public TCluster Cluster { get; }

    /// <summary>Requests to hosts other than this machine (must stay empty).</summary>
    public List<string> ExternalRequests => _browser.ExternalRequests;

    protected abstract ServerHost Server { get; }

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        _browser = await ConsoleBrowser.LaunchAsync();
    }

    public Task<IPage> NewPageAsync() => _browser.NewPageAsync(Server.Url);

    public Task SignInAsync(IPage page) => ConsoleBrowser.SignInAsync(page, Server.AdminToken);

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
