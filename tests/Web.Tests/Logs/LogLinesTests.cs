using Bunit;
using KubeWeb.Web.Components.Pages.Logs;
using KubeWeb.Web.Logs;

namespace KubeWeb.Web.Tests.Logs;

public sealed class LogLinesTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();

    [Fact]
    public void Lines_ShowPodPrefixColourAndHighlightedMatches()
    {
        var buffer = new LogBuffer(10);
        buffer.Add(new LogSource("web-a", "app"), null, "GET /cart 200");
        buffer.Add(new LogSource("web-b", "app"), null, "GET /Cart 500");

        var view = _ctx.Render<LogLines>(p => p.Add(l => l.Lines, buffer.Snapshot()).Add(l => l.Search, "cart").Add(l => l.Prefix, true));

        var lines = view.FindAll(".kw-log-line");
        Assert.Equal(2, lines.Count);
        Assert.Equal("[pod/web-a/app]", view.Find(".kw-log-line[data-pod='web-a'] .kw-log-prefix").TextContent);
        Assert.Contains($"kw-log-c{LogColors.For("web-b")}", view.Find(".kw-log-line[data-pod='web-b'] .kw-log-prefix").ClassName, StringComparison.Ordinal);
        Assert.Equal(["cart", "Cart"], view.FindAll("mark").Select(m => m.TextContent));
    }

    [Fact]
    public void NoLines_SaysWhy()
    {
        var view = _ctx.Render<LogLines>(p => p.Add(l => l.Lines, []).Add(l => l.Search, "x"));

        Assert.Equal("No line matches the search.", view.Find("#log-empty").TextContent);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();
}
