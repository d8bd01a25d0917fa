using Bunit;
using Bunit.TestDoubles;
using KubeWeb.Web.Api;
using KubeWeb.Web.Components.Layout;
using KubeWeb.Web.Search;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace KubeWeb.Web.Tests.Search;

public sealed class PaletteTests : IAsyncLifetime
{
    private static readonly ConsoleKind Pods = ConsoleKinds.ByPlural("pods")!;
    private static readonly ConsoleKind Deployments = ConsoleKinds.ByPlural("deployments")!;
    private static readonly ConsoleKind Nodes = ConsoleKinds.ByPlural("nodes")!;

    private readonly BunitContext _ctx = new();
    private readonly FakeSearchSource _source = new();

    public PaletteTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton<ISearchSource>(_source);
        _source.Set(
            new SearchEntry(Deployments, "default", "web"),
            new SearchEntry(Pods, "default", "web-7d9f-abcde"),
            new SearchEntry(Pods, "shop", "cart-0"),
            new SearchEntry(Pods, "default", "my-web"),
            new SearchEntry(Nodes, null, "node-1"));
    }

    [Fact]
    public void Filter_RanksExactThenPrefixThenSubstringThenLettersInOrder()
    {
        var results = PaletteSearch.Filter(_source.Entries, "web");
        Assert.Equal(["web", "web-7d9f-abcde", "my-web"], results.Select(r => r.Name));
        Assert.Equal(["cart-0"], PaletteSearch.Filter(_source.Entries, "crt").Select(r => r.Name));
        Assert.Empty(PaletteSearch.Filter(_source.Entries, "   "));
    }

    [Fact]
    public void Filter_NarrowsByAKindWord_AsKubectlNamesKinds()
    {
        Assert.Equal(["web-7d9f-abcde", "my-web"], PaletteSearch.Filter(_source.Entries, "po web").Select(r => r.Name));
        Assert.Equal(["web"], PaletteSearch.Filter(_source.Entries, "deploy/web").Select(r => r.Name));
        Assert.Equal(["node-1"], PaletteSearch.Filter(_source.Entries, "nodes:").Select(r => r.Name));
    }

    [Fact]
    public void Palette_StartsTheIndex_ShowsMatchesAsYouType_AndEnterOpensTheSelectedOne()
    {
        var palette = _ctx.Render<CommandPalette>();
        Assert.Empty(palette.FindAll("#palette"));

        palette.Find("#palette-open").Click();
        Assert.True(_source.Started);
        palette.Find("#palette-input").Input("web");
        var items = palette.FindAll("#palette-results li");
        Assert.Equal(["web", "web-7d9f-abcde", "my-web"], items.Select(i => i.GetAttribute("data-name")));

        palette.Find("#palette-input").KeyDown("ArrowDown");
        Assert.Equal("true", palette.Find("#palette-item-1").GetAttribute("aria-selected"));
        palette.Find("#palette-input").KeyDown("Enter");

        var nav = _ctx.Services.GetRequiredService<NavigationManager>();
        Assert.EndsWith("/r/pods/default/web-7d9f-abcde", nav.Uri, StringComparison.Ordinal);
        Assert.Empty(palette.FindAll("#palette"));
    }

    [Fact]
    public void Palette_FollowsTheIndexLive()
    {
        var palette = _ctx.Render<CommandPalette>();
        palette.Find("#palette-open").Click();
        palette.Find("#palette-input").Input("api");
        Assert.NotNull(palette.Find("#palette-empty"));

        _source.Set([.. _source.Entries, new SearchEntry(Deployments, "default", "api")]);
        palette.WaitForAssertion(() => Assert.Equal("api", palette.Find("#palette-results li").GetAttribute("data-name")));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    private sealed class FakeSearchSource : ISearchSource
    {
        public event Action? Changed;

        public IReadOnlyList<SearchEntry> Entries { get; private set; } = [];

        public bool Loading => false;

        public bool Started { get; private set; }

        public void Set(params SearchEntry[] entries)
        {
            Entries = entries;
            Changed?.Invoke();
        }

        public void Start() => Started = true;
    }
}
