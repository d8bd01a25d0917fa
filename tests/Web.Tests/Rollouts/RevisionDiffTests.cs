using Bunit;
using KubeWeb.Web.Components.Pages.Workloads;
using KubeWeb.Web.Diff;
using KubeWeb.Web.Rollouts;
using KubeWeb.Web.Yaml;

namespace KubeWeb.Web.Tests.Rollouts;

public sealed class RevisionDiffTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();

    [Fact]
    public void TwoRevisions_ShowTheChangedImage_AsOneRemovedAndOneAddedLine()
    {
        var before = YamlWriter.Write(RolloutHistory.TemplateJson(Objects.Template("nginx:1.27", hash: "aaa")));
        var after = YamlWriter.Write(RolloutHistory.TemplateJson(Objects.Template("nginx:1.28", hash: "bbb")));

        var diff = _ctx.Render<RevisionDiff>(p => p.Add(d => d.Before, before).Add(d => d.After, after)
            .Add(d => d.BeforeLabel, "revision 1").Add(d => d.AfterLabel, "revision 2"));

        var removed = diff.FindAll(".kw-diff-line[data-kind='Removed']");
        var added = diff.FindAll(".kw-diff-line[data-kind='Added']");
        Assert.Contains("nginx:1.27", Assert.Single(removed).TextContent, StringComparison.Ordinal);
        Assert.Contains("nginx:1.28", Assert.Single(added).TextContent, StringComparison.Ordinal);
        Assert.Equal("1", diff.Find("#revision-diff").GetAttribute("data-added"));
        Assert.DoesNotContain("pod-template-hash", diff.Markup, StringComparison.Ordinal);
        Assert.Empty(diff.FindAll("#revision-diff-same"));
    }

    [Fact]
    public void IdenticalTemplates_SayTheyAreIdentical()
    {
        var yaml = YamlWriter.Write(RolloutHistory.TemplateJson(Objects.Template("nginx:1.27")));
        var diff = _ctx.Render<RevisionDiff>(p => p.Add(d => d.Before, yaml).Add(d => d.After, yaml));
        Assert.NotNull(diff.Find("#revision-diff-same"));
        Assert.Empty(diff.FindAll(".kw-diff-line[data-kind='Added']"));
    }

    [Fact]
    public void LineDiff_ListsRemovalsBeforeAdditions_WithLineNumbers()
    {
        var lines = LineDiff.Compute("a\nb\nc\n", "a\nx\nc\nd\n");
        Assert.Equal(
            [(DiffKind.Same, "a"), (DiffKind.Removed, "b"), (DiffKind.Added, "x"), (DiffKind.Same, "c"), (DiffKind.Added, "d")],
            lines.Select(l => (l.Kind, l.Text)));
        Assert.Equal(4, lines[^1].NewLine);
        Assert.Null(lines[^1].OldLine);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();
}
