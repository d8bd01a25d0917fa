using KubeWeb.Web.Logs;

namespace KubeWeb.Web.Tests.Logs;

public sealed class LogLineTests
{
    [Fact]
    public void Parse_SplitsANanosecondTimestampFromTheText()
    {
        var (ts, text) = LogLine.Parse("2026-11-25T22:55:01.123456789Z hello  world");

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 22, 55, 1, TimeSpan.Zero).AddTicks(1234567), ts);
        Assert.Equal("hello  world", text);
    }

    [Theory]
    [InlineData("plain line")]
    [InlineData("2026 is not a timestamp")]
    [InlineData("")]
    public void Parse_LeavesALineWithoutTimestampWhole(string raw)
    {
        var (ts, text) = LogLine.Parse(raw);

        Assert.Null(ts);
        Assert.Equal(raw, text);
    }

    [Fact]
    public void Format_AddsTimestampAndPodPrefixAsKubectlDoes()
    {
        var line = new LogLine(1, new LogSource("web-1", "app"), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "ready");

        Assert.Equal("ready", line.Format(false, false));
        Assert.Equal("[pod/web-1/app] 2026-01-02T03:04:05.0000000Z ready", line.Format(true, true));
    }

    [Fact]
    public void Colors_AreStablePerPod_AndSpreadOverThePalette()
    {
        Assert.Equal(LogColors.For("web-7d9f-abcde"), LogColors.For("web-7d9f-abcde"));
        var colors = Enumerable.Range(0, 40).Select(i => LogColors.For($"web-{i}")).Distinct().Count();
        Assert.True(colors >= 5, $"only {colors} colours for 40 pods");
    }
}
