using System.Text;
using KubeWeb.Web.Logs;

namespace KubeWeb.Web.Tests.Logs;

public sealed class ContainerLogStreamTests
{
    private static readonly LogSource Source = new("web-1", "app");

    [Fact]
    public async Task AStreamThatEndsWhileTheContainerRuns_IsResumedWithoutRepeatingLines()
    {
        var api = new ScriptedLogs(
            ["2026-01-01T00:00:01.000000000Z one", "2026-01-01T00:00:02.000000000Z two"],
            ["2026-01-01T00:00:02.000000000Z two", "2026-01-01T00:00:03.000000000Z three"]);
        api.States.Enqueue(ContainerRunState.Running);
        api.States.Enqueue(ContainerRunState.Gone);
        var buffer = new LogBuffer(100);
        var stream = new ContainerLogStream("default", Source, new LogRequest(true, false, 10, null), api, buffer, TimeProvider.System);

        await stream.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["one", "two", "three"], buffer.Snapshot().Select(l => l.Text));
        Assert.Equal(LogStreamPhase.Ended, stream.State.Phase);
        Assert.Equal(10, api.Requests[0].TailLines);
        Assert.True(api.Requests[0].Follow);
        Assert.Null(api.Requests[1].TailLines);
        Assert.NotNull(api.Requests[1].SinceSeconds);
    }

    [Fact]
    public async Task WithoutFollow_OneReadEndsTheStream()
    {
        var api = new ScriptedLogs(["2026-01-01T00:00:01.000000000Z only"]);
        var buffer = new LogBuffer(100);
        var stream = new ContainerLogStream("default", Source, new LogRequest(false, true, null, null), api, buffer, TimeProvider.System);

        await stream.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["only"], buffer.Snapshot().Select(l => l.Text));
        Assert.Single(api.Requests);
        Assert.True(api.Requests[0].Previous);
        Assert.Equal(0, api.StateCalls);
    }

    [Fact]
    public async Task AnErrorOpeningTheLog_WaitsForTheContainer_ThenStreams()
    {
        var api = new ScriptedLogs(["2026-01-01T00:00:01.000000000Z started"]) { FailFirst = true };
        api.States.Enqueue(ContainerRunState.NotStarted);
        api.States.Enqueue(ContainerRunState.Gone);
        var phases = new List<LogStreamPhase>();
        var buffer = new LogBuffer(100);
        var stream = new ContainerLogStream("default", Source, new LogRequest(true, false, null, null), api, buffer, TimeProvider.System);
        stream.StateChanged += s => phases.Add(s.Phase);

        await stream.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["started"], buffer.Snapshot().Select(l => l.Text));
        Assert.Equal([LogStreamPhase.Waiting, LogStreamPhase.Streaming, LogStreamPhase.Ended], phases);
    }

    private sealed class ScriptedLogs(params string[][] streams) : IPodLogApi
    {
        private int _opened;

        public bool FailFirst { get; init; }

        public List<LogRequest> Requests { get; } = [];

        public Queue<ContainerRunState> States { get; } = new();

        public int StateCalls { get; private set; }

        public Task<Stream> OpenAsync(string ns, LogSource source, LogRequest request, CancellationToken ct)
        {
            Requests.Add(request);
            if (FailFirst && Requests.Count == 1)
            {
                throw new HttpRequestException("container \"app\" in pod \"web-1\" is waiting to start", null, System.Net.HttpStatusCode.BadRequest);
            }

            var lines = streams[Math.Min(_opened++, streams.Length - 1)];
            return Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")))));
        }

        public Task<ContainerRunState> StateAsync(string ns, LogSource source, CancellationToken ct)
        {
            StateCalls++;
            return Task.FromResult(States.Count > 0 ? States.Dequeue() : ContainerRunState.Gone);
        }
    }
}
