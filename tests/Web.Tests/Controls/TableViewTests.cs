using KubeWeb.Web.Components.Controls;

namespace KubeWeb.Web.Tests.Controls;

public sealed class TableViewTests
{
    private static readonly IReadOnlyList<Api.KubeRow> Pods =
    [
        Rows.Pod("web-b", "Running", "10", 5),
        Rows.Pod("web-a", "CrashLoopBackOff", "2 (30s ago)", 60),
        Rows.Pod("db-0", "Pending", "0", 1, ns: "data", app: "db"),
    ];

    [Fact]
    public void Default_SortsByNamespaceThenName()
    {
        var names = TableView.Apply(Pods, Rows.PodColumns, null, TableSort.Default).Select(r => r.Name);
        Assert.Equal(["db-0", "web-a", "web-b"], names);
    }

    [Fact]
    public void Restarts_SortNumerically_NotAsText()
    {
        var names = TableView.Apply(Pods, Rows.PodColumns, null, new TableSort(3, Descending: true)).Select(r => r.Name);
        Assert.Equal(["web-b", "web-a", "db-0"], names);
    }

    [Fact]
    public void Age_SortsByCreationTime_YoungestFirstWhenAscending()
    {
        var names = TableView.Apply(Pods, Rows.PodColumns, null, new TableSort(4, Descending: false)).Select(r => r.Name);
        Assert.Equal(["db-0", "web-b", "web-a"], names);
    }

    [Fact]
    public void Text_SortIsCaseInsensitive_AndDescendingReverses()
    {
        var names = TableView.Apply(Pods, Rows.PodColumns, null, new TableSort(2, Descending: true)).Select(r => r.Name);
        Assert.Equal(["web-b", "db-0", "web-a"], names);
    }

    [Theory]
    [InlineData("crash", new[] { "web-a" })]
    [InlineData("app=db", new[] { "db-0" })]
    [InlineData("DATA", new[] { "db-0" })]
    [InlineData("web", new[] { "web-a", "web-b" })]
    [InlineData("nothing-matches", new string[0])]
    public void Search_MatchesNameNamespaceCellsAndLabels(string search, string[] expected)
    {
        var names = TableView.Apply(Pods, Rows.PodColumns, search, TableSort.Default).Select(r => r.Name);
        Assert.Equal(expected, names);
    }
}
