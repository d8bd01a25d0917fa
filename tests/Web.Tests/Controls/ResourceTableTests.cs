using Bunit;
using KubeWeb.Web.Api;
using KubeWeb.Web.Components.Controls;
using KubeWeb.Web.Live;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace KubeWeb.Web.Tests.Controls;

public sealed class ResourceTableTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private readonly FakeTableFeed _feed = new();
    private readonly ConsoleKind _pods = ConsoleKinds.ByPlural("pods")!;

    public ResourceTableTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton<ITableFeed>(_feed);
    }

    [Fact]
    public void Rows_AppearAndChange_AsSnapshotsArrive()
    {
        var table = _ctx.Render<ResourceTable>(p => p.Add(t => t.Kind, _pods).Add(t => t.Namespace, "default"));
        Assert.NotEmpty(table.FindAll(".mud-progress-linear"));

        _feed.Push(Snapshot(Rows.Pod("web-a", "Running", "0", 5)));
        table.WaitForAssertion(() => Assert.Single(table.FindAll("tbody tr")));

        _feed.Push(Snapshot(Rows.Pod("web-a", "Running", "0", 5), Rows.Pod("web-b", "Pending", "0", 1)));
        table.WaitForAssertion(() => Assert.Equal(2, table.FindAll("tbody tr").Count));
        Assert.Equal(("pods", "default", (string?)null), _feed.Follows.Single());
    }

    [Fact]
    public void StatusCells_RenderBadgesWithTheMappedTone()
    {
        var table = _ctx.Render<ResourceTable>(p => p.Add(t => t.Kind, _pods).Add(t => t.Namespace, "default"));
        _feed.Push(Snapshot(Rows.Pod("web-a", "CrashLoopBackOff", "4", 5), Rows.Pod("web-b", "Running", "0", 1)));

        table.WaitForAssertion(() =>
        {
            var a = table.Find("tr[data-name='web-a'] td[data-col='Status'] .kw-badge");
            Assert.Equal("error", a.GetAttribute("data-tone"));
            Assert.Equal("success", table.Find("tr[data-name='web-b'] td[data-col='Status'] .kw-badge").GetAttribute("data-tone"));
            Assert.Equal("error", table.Find("tr[data-name='web-a'] td[data-col='Ready'] .kw-badge").GetAttribute("data-tone"));
        });
    }

    [Fact]
    public void ClickingAHeader_SortsAndClickingAgainReverses()
    {
        var table = _ctx.Render<ResourceTable>(p => p.Add(t => t.Kind, _pods).Add(t => t.Namespace, "default"));
        _feed.Push(Snapshot(Rows.Pod("a", "Running", "1", 5), Rows.Pod("b", "Running", "12", 1), Rows.Pod("c", "Running", "3", 9)));
        table.WaitForAssertion(() => Assert.Equal(3, table.FindAll("tbody tr").Count));

        // Renders after a click may land on the renderer's thread a moment later: wait for them.
        table.Find("button[data-column='Restarts']").Click();
        table.WaitForAssertion(() => Assert.Equal(["a", "c", "b"], Names(table)));
        table.Find("button[data-column='Restarts']").Click();
        table.WaitForAssertion(() => Assert.Equal(["b", "c", "a"], Names(table)));
        Assert.Equal("descending", table.Find("button[data-column='Restarts']").GetAttribute("aria-sort"));
    }

    [Fact]
    public void Search_FiltersRows_AndCountShowsHowMany()
    {
        var table = _ctx.Render<ResourceTable>(p => p.Add(t => t.Kind, _pods).Add(t => t.Namespace, "default"));
        _feed.Push(Snapshot(Rows.Pod("web-a", "Running", "0", 5), Rows.Pod("db-0", "Running", "0", 1, app: "db")));
        table.WaitForAssertion(() => Assert.Equal(2, table.FindAll("tbody tr").Count));

        table.Find("#table-search").Input("app=db");
        table.WaitForAssertion(() => Assert.Equal(["db-0"], Names(table)));
        Assert.Equal("1 of 2", table.Find("#table-count").TextContent);
    }

    [Fact]
    public void LabelSelector_IsSentToTheApi_AndInvalidOnesAreRejected()
    {
        var table = _ctx.Render<ResourceTable>(p => p.Add(t => t.Kind, _pods).Add(t => t.Namespace, "default"));

        table.Find("#table-selector").Change("app in (web");
        Assert.Single(_feed.Follows);
        Assert.NotEmpty(table.FindAll(".mud-input-error"));

        table.Find("#table-selector").Change("app=web,tier!=db");
        Assert.Equal("app=web,tier!=db", _feed.Follows[^1].Selector);
    }

    [Fact]
    public void AllNamespaces_AddsANamespaceColumn()
    {
        var table = _ctx.Render<ResourceTable>(p => p.Add(t => t.Kind, _pods).Add(t => t.Namespace, ""));
        _feed.Push(Snapshot(Rows.Pod("db-0", "Running", "0", 1, ns: "data")));
        table.WaitForAssertion(() => Assert.Contains("data", table.Find("tbody tr").TextContent, StringComparison.Ordinal));
        Assert.NotNull(table.Find("button[data-column='Namespace']"));
        Assert.Null(_feed.Follows.Single().Namespace);
    }

    [Fact]
    public void ABrokenWatch_ShowsTheReconnectingBanner_AndKeepsTheRows()
    {
        var table = _ctx.Render<ResourceTable>(p => p.Add(t => t.Kind, _pods).Add(t => t.Namespace, "default"));
        var row = Rows.Pod("web-a", "Running", "0", 5);
        _feed.Push(Snapshot(row) with { Problem = new ApiProblem("The API server cannot be reached", "Retrying.", [], Unreachable: true) });

        table.WaitForAssertion(() => Assert.Contains("Reconnecting", table.Find("#watch-reconnecting").TextContent, StringComparison.Ordinal));
        Assert.Single(table.FindAll("tbody tr"));

        _feed.Push(Snapshot(row));
        table.WaitForAssertion(() => Assert.Empty(table.FindAll("#watch-reconnecting")));
    }

    [Fact]
    public void AFilter_ShowsOnlyAcceptedRows_AndReportsThem()
    {
        IReadOnlyList<KubeRow>? reported = null;
        var table = _ctx.Render<ResourceTable>(p => p.Add(t => t.Kind, _pods).Add(t => t.Namespace, "default").Add(t => t.Compact, true)
            .Add(t => t.Id, "owned-pods").Add(t => t.Filter, (Func<KubeRow, bool>)(r => r.Name.StartsWith("web", StringComparison.Ordinal)))
            .Add(t => t.RowsChanged, (IReadOnlyList<KubeRow> rows) => reported = rows));
        _feed.Push(Snapshot(Rows.Pod("web-a", "Running", "0", 5), Rows.Pod("db-0", "Running", "0", 1)));

        table.WaitForAssertion(() => Assert.Equal(["web-a"], Names(table, "#owned-pods")));
        Assert.Empty(table.FindAll("#table-search"));
        // The callback may run just after the render that shows the rows.
        table.WaitForAssertion(() => Assert.Equal(["web-a"], reported?.Select(r => r.Name) ?? []));
    }

    [Fact]
    public void LongLists_AreVirtualized_SoNotEveryRowIsRendered()
    {
        var table = _ctx.Render<ResourceTable>(p => p.Add(t => t.Kind, _pods).Add(t => t.Namespace, "default"));
        var many = Enumerable.Range(0, 3000).Select(i => Rows.Pod($"p-{i:0000}", "Running", "0", 1)).ToArray();
        _feed.Push(Snapshot(many));

        table.WaitForAssertion(() => Assert.Equal("3000", table.Find("#resource-table").GetAttribute("data-rows")));
        Assert.True(table.FindAll("tbody tr[data-name]").Count < 200);
        Assert.Equal("3000 of 3000", table.Find("#table-count").TextContent);
    }

    private static LiveSnapshot<KubeRow> Snapshot(params KubeRow[] rows) => new(Rows.PodColumns, rows, true, null);

    private static string[] Names(IRenderedComponent<ResourceTable> table, string id = "#resource-table") =>
        [.. table.FindAll($"{id} tbody tr").Select(r => r.GetAttribute("data-name")!)];

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable.
    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();
}
