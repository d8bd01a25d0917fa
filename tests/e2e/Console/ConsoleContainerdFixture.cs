using KubeWeb.E2E.Pods;
using Microsoft.Playwright;

namespace KubeWeb.E2E.Console;

/// <summary>The console on <c>kubeweb server</c> with its local containerd node: logs and exec against real containers.</summary>
public sealed class ConsoleContainerdFixture : IAsyncLifetime
{
    private ConsoleBrowser _browser = default!;

    public ContainerdServer Pods { get; } = new();

    public List<string> ExternalRequests => _browser.ExternalRequests;

    public async Task InitializeAsync()
    {
        await Pods.InitializeAsync();
        _browser = await ConsoleBrowser.LaunchAsync();
    }

    public Task<IPage> NewPageAsync() => _browser.NewPageAsync(Pods.Server.Url);

    public Task SignInAsync(IPage page) => ConsoleBrowser.SignInAsync(page, Pods.Server.AdminToken);

    public Task ScreenshotAsync(IPage page, string name) => _browser.ScreenshotAsync(page, name);

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        await Pods.DisposeAsync();
    }
}
