using KubeWeb.Web.Logs;

namespace KubeWeb.Web.Tests.Logs;

public sealed class LogFilterTests
{
    [Fact]
    public void Segments_MarkEveryCaseInsensitiveMatch()
    {
        var segments = LogFilter.Segments("Error: disk error at /var", "error").ToList();

        Assert.Equal([("Error", true), (": disk ", false), ("error", true), (" at /var", false)], segments);
    }

    [Fact]
    public void Segments_WithoutSearch_IsTheWholeLine()
    {
        Assert.Equal([("abc", false)], LogFilter.Segments("abc", null));
    }

    [Theory]
    [InlineData("GET /healthz 200", "HEALTHZ", true)]
    [InlineData("GET /healthz 200", "500", false)]
    [InlineData("anything", "", true)]
    public void Matches_IsASubstringTest(string text, string search, bool expected) =>
        Assert.Equal(expected, LogFilter.Matches(text, search));
}
