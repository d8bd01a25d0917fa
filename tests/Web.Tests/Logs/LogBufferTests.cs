using KubeWeb.Web.Logs;

namespace KubeWeb.Web.Tests.Logs;

public sealed class LogBufferTests
{
    private static readonly LogSource Source = new("p", "c");

    [Fact]
    public void PastCapacity_OldestLinesAreDroppedAndCounted()
    {
        var buffer = new LogBuffer(3);
        for (var i = 1; i <= 5; i++)
        {
            buffer.Add(Source, null, $"line {i}");
        }

        Assert.Equal(["line 3", "line 4", "line 5"], buffer.Snapshot().Select(l => l.Text));
        Assert.Equal(2, buffer.Dropped);
        Assert.Equal(3, buffer.Count);
    }

    [Fact]
    public void Version_ChangesWithEveryAddAndClear()
    {
        var buffer = new LogBuffer(10);
        var v0 = buffer.Version;
        buffer.Add(Source, null, "a");
        var v1 = buffer.Version;
        buffer.Clear();

        Assert.NotEqual(v0, v1);
        Assert.NotEqual(v1, buffer.Version);
        Assert.Empty(buffer.Snapshot());
        Assert.Equal(0, buffer.Dropped);
    }

    [Fact]
    public void Sequence_KeepsArrivalOrderAcrossSources()
    {
        var buffer = new LogBuffer(10);
        var a = buffer.Add(new LogSource("a", "c"), null, "1");
        var b = buffer.Add(new LogSource("b", "c"), null, "2");

        Assert.True(b.Seq > a.Seq);
    }
}
