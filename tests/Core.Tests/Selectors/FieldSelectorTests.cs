using KubeWeb.Core.Selectors;

namespace KubeWeb.Core.Tests.Selectors;

public sealed class FieldSelectorTests
{
    private static string? Field(string name) => name switch
    {
        "metadata.name" => "web",
        "status.phase" => "Running",
        _ => null,
    };

    [Theory]
    [InlineData("metadata.name=web", true)]
    [InlineData("metadata.name==web", true)]
    [InlineData("metadata.name!=web", false)]
    [InlineData("metadata.name=web,status.phase=Running", true)]
    [InlineData("metadata.name=web,status.phase!=Running", false)]
    [InlineData("spec.nodeName=", true)]
    public void Matches_EqualityAndInequality(string selector, bool expected) =>
        Assert.Equal(expected, FieldSelector.Parse(selector).Matches(Field));

    [Fact]
    public void Parse_WithoutOperator_Throws() =>
        Assert.Throws<FormatException>(() => FieldSelector.Parse("metadata.name"));

    [Fact]
    public void ExactValue_ReturnsPinnedName() =>
        Assert.Equal("web", FieldSelector.Parse("metadata.name=web,status.phase!=Failed").ExactValue("metadata.name"));
}
