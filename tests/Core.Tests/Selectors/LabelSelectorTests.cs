using k8s.Models;
using KubeWeb.Core.Selectors;

namespace KubeWeb.Core.Tests.Selectors;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front", ["version"] = "3" };

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app!=db", true)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (web,db)", true)]
    [InlineData("app in (db)", false)]
    [InlineData("app notin (db,cache)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!missing", true)]
    [InlineData("app=web,tier=front", true)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("app in (web, db),!missing,tier", true)]
    [InlineData("version>2", true)]
    [InlineData("version<2", false)]
    [InlineData("", true)]
    public void Matches_FollowsKubernetesSelectorSyntax(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("=web")]
    [InlineData("app in ()")]
    [InlineData("a b=c")]
    [InlineData("app=we b")]
    public void Parse_InvalidSelector_Throws(string selector) =>
        Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));

    [Fact]
    public void Parse_EmptyValueAfterEquals_MatchesOnlyAnEmptyLabel()
    {
        var selector = LabelSelector.Parse("app=");
        Assert.True(selector.Matches(new Dictionary<string, string> { ["app"] = "" }));
        Assert.False(selector.Matches(Labels));
    }

    [Fact]
    public void FromApi_NilSelectsNothing_EmptySelectsEverything()
    {
        Assert.False(LabelSelector.FromApi(null).Matches(Labels));
        Assert.True(LabelSelector.FromApi(new V1LabelSelector()).Matches(Labels));
    }

    [Fact]
    public void FromApi_MatchExpressions_AreApplied()
    {
        var selector = LabelSelector.FromApi(new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["front", "edge"] }],
        });
        Assert.True(selector.Matches(Labels));
        Assert.Equal("app=web,tier in (front,edge)", selector.ToString());
    }
}
