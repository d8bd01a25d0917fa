using System.Text;
using KubeWeb.Agent.Streams.Logs;
using KubeWeb.Core.Agents;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Agent.Tests.Streams;

public sealed class CriLogReaderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("kw-crilog-").FullName;
    private readonly FakeTimeProvider _time = new(T0.AddMinutes(10));

    private string Path0 => Path.Combine(_dir, "0.log");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Parse_ReadsTimestampStreamTagAndText()
    {
        Assert.True(CriLogParser.TryParse(Encoding.UTF8.GetBytes("2016-10-06T00:17:09.669794202Z stderr F hello world"), out var e));
        Assert.Equal("2016-10-06T00:17:09.669794202Z", e.Timestamp);
        Assert.Equal(new DateTimeOffset(2016, 10, 6, 0, 17, 9, TimeSpan.Zero).AddTicks(6697942), e.Time);
        Assert.True(e.IsStderr);
        Assert.False(e.Partial);
        Assert.Equal("hello world", Encoding.UTF8.GetString(e.Content.Span));
    }

    [Theory]
    [InlineData("2016-10-06T00:17:09Z stdout P part", true, "part")]
    [InlineData("2016-10-06T00:17:09.5+02:00 stdout F", false, "")]
    [InlineData("2016-10-06T00:17:09Z stdout F:x  two spaces", false, " two spaces")]
    public void Parse_EdgeCases(string line, bool partial, string text)
    {
        Assert.True(CriLogParser.TryParse(Encoding.UTF8.GetBytes(line), out var e));
        Assert.Equal(partial, e.Partial);
        Assert.Equal(text, Encoding.UTF8.GetString(e.Content.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-time stdout F x")]
    [InlineData("2016-10-06T00:17:09Z stdin F x")]
    [InlineData("2016-10-06T00:17:09Z stdout X x")]
    public void Parse_RejectsMalformedLines(string line) =>
        Assert.False(CriLogParser.TryParse(Encoding.UTF8.GetBytes(line), out _));

    [Fact]
    public void FormatTime_IsRfc3339Nano()
    {
        Assert.Equal("2026-01-02T03:04:05Z", CriLogParser.FormatTime(T0));
        Assert.Equal("2026-01-02T03:04:05.12Z", CriLogParser.FormatTime(T0.AddMilliseconds(120)));
    }

    [Fact]
    public async Task Read_JoinsPartialLinesPerStream()
    {
        CriLogWriter.Append(Path0, T0, false, "hel", partial: true);
        CriLogWriter.Append(Path0, T0, true, "an error");
        CriLogWriter.Append(Path0, T0.AddSeconds(1), false, "lo");
        Assert.Equal("an error\nhello\n", await ReadAsync(new PodLogRequest()));
    }

    [Fact]
    public void Append_SeveralLines_WritesWhatOneAppendPerLineWrites()
    {
        var each = Path.Combine(_dir, "each", "0.log");
        CriLogWriter.Append(each, T0, false, "hel", partial: true);
        CriLogWriter.Append(each, T0, false, "lo");
        CriLogWriter.Append(each, T0, true, "an error");
        var once = Path.Combine(_dir, "once", "0.log");
        CriLogWriter.Append(once, T0, (false, "hel", true), (false, "lo", false), (true, "an error", false));
        Assert.Equal(File.ReadAllText(each), File.ReadAllText(once));
        Assert.Equal(3, File.ReadAllLines(once).Length);
    }

    [Fact]
    public async Task Read_TailSinceTimestampsAndLimit()
    {
        for (var i = 0; i < 5; i++)
        {
            CriLogWriter.Append(Path0, T0.AddSeconds(i), false, $"line {i}");
        }

        Assert.Equal("line 3\nline 4\n", await ReadAsync(new PodLogRequest(TailLines: 2)));
        Assert.Equal("", await ReadAsync(new PodLogRequest(TailLines: 0)));
        Assert.Equal("line 2\nline 3\nline 4\n", await ReadAsync(new PodLogRequest(SinceTime: T0.AddSeconds(2))));
        // "now" is T0 + 10 min: only lines newer than 10 min - 598 s = T0 + 2 s.
        Assert.Equal("line 2\nline 3\nline 4\n", await ReadAsync(new PodLogRequest(SinceSeconds: 598)));
        Assert.Equal("2026-01-02T03:04:09Z line 4\n", await ReadAsync(new PodLogRequest(TailLines: 1, Timestamps: true)));
        Assert.Equal("line 0\nli", await ReadAsync(new PodLogRequest(LimitBytes: 9)));
    }

    [Fact]
    public async Task Read_MissingFile_IsEmpty() =>
        Assert.Equal("", await ReadAsync(new PodLogRequest()));

    [Fact]
    public async Task Follow_CopiesNewLines_AndEndsWhenTheContainerStops()
    {
        CriLogWriter.Append(Path0, T0, false, "first");
        var running = true;
        var reader = new CriLogReader(Path0, new PodLogRequest(Follow: true), () => Volatile.Read(ref running), TimeProvider.System)
        {
            PollInterval = TimeSpan.FromMilliseconds(10),
        };
        var output = new NotifyingStream();
        var copy = reader.CopyToAsync(output, CancellationToken.None);
        await output.WaitForAsync("first\n");
        CriLogWriter.Append(Path0, T0, false, "half ", partial: true);
        await Task.Delay(50);
        Assert.Equal("first\n", output.Text);
        CriLogWriter.Append(Path0, T0, false, "and the rest");
        await output.WaitForAsync("first\nhalf and the rest\n");
        Assert.False(copy.IsCompleted);
        CriLogWriter.Append(Path0, T0, false, "last words");
        Volatile.Write(ref running, false);
        await copy.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("first\nhalf and the rest\nlast words\n", output.Text);
    }

    private async Task<string> ReadAsync(PodLogRequest options)
    {
        using var output = new MemoryStream();
        await new CriLogReader(Path0, options, () => false, _time).CopyToAsync(output, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private sealed class NotifyingStream : MemoryStream
    {
        public string Text
        {
            get
            {
                lock (this)
                {
                    return Encoding.UTF8.GetString(ToArray());
                }
            }
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (this)
            {
                base.Write(buffer);
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public async Task WaitForAsync(string text)
        {
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (Text != text)
            {
                Assert.True(DateTime.UtcNow < deadline, $"expected \"{text}\", have \"{Text}\"");
                await Task.Delay(10);
            }
        }
    }
}
