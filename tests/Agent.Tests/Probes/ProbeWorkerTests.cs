using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using k8s.Models;
using KubeWeb.Agent.Pods;
using KubeWeb.Agent.Probes;
using KubeWeb.Agent.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static KubeWeb.Agent.Tests.TestPods;

namespace KubeWeb.Agent.Tests.Probes;

public sealed class ProbeWorkerTests : IAsyncDisposable
{
    private static readonly DateTime Start = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeProbeTarget _target = new();
    private readonly RecordingEvents _events = new();
    private readonly RecordingHandler _http = new();
    private readonly ProbeManager _probes;

    public ProbeWorkerTests()
    {
        _probes = new ProbeManager(_target, _events, _time, NullLogger.Instance, new HttpMessageInvoker(_http)) { RunWorkers = false };
    }

    public ValueTask DisposeAsync() => _probes.DisposeAsync();

    private static V1Probe Exec(string name, int? failure = null, int? success = null, int? delay = null, long? grace = null) => new()
    {
        Exec = new V1ExecAction { Command = [name] },
        FailureThreshold = failure,
        SuccessThreshold = success,
        InitialDelaySeconds = delay,
        TerminationGracePeriodSeconds = grace,
    };

    private static V1Pod PodWith(Action<V1Container> configure)
    {
        var pod = Pod("web", grace: 30);
        configure(pod.Spec.Containers[0]);
        return pod;
    }

    private static RuntimePod Running(V1Pod pod, string id = "containerd://c1", DateTime? startedAt = null, ContainerState state = ContainerState.Running) =>
        new(pod.Metadata.Uid, "default", pod.Metadata.Name, true, "10.244.0.7", Start,
            [new RuntimeContainer("app", id, "nginx:1.25", "sha256:1", state, 0, StartedAt: startedAt ?? Start)]);

    private Task Tick(V1Pod pod, ProbeKind kind) => _probes.Worker(pod.Metadata.Uid, "app", kind)!.ProbeOnceAsync(CancellationToken.None);

    private bool Ready(V1Pod pod, string id = "containerd://c1") => _probes.IsReady(pod.Metadata.Uid, pod.Spec.Containers[0], id);

    [Fact]
    public async Task Readiness_StartsNotReady_FlipsAfterTheThresholds_AndRecordsEachFailure()
    {
        var pod = PodWith(c => c.ReadinessProbe = Exec("ready", failure: 3, success: 2));
        _probes.Update(pod, Running(pod));
        Assert.False(Ready(pod));

        _target.Answer("ready", 0);
        await Tick(pod, ProbeKind.Readiness);
        Assert.False(Ready(pod));
        await Tick(pod, ProbeKind.Readiness);
        Assert.True(Ready(pod));

        _target.Answer("ready", 1, "not yet");
        await Tick(pod, ProbeKind.Readiness);
        await Tick(pod, ProbeKind.Readiness);
        Assert.True(Ready(pod));
        await Tick(pod, ProbeKind.Readiness);
        Assert.False(Ready(pod));

        Assert.Equal(3, _events.Count("Unhealthy"));
        Assert.Contains(("Warning", "Unhealthy", "Readiness probe failed: not yet", "spec.containers{app}"), _events.All);
        Assert.Empty(_target.Kills);
    }

    [Fact]
    public async Task Liveness_AfterFailureThreshold_KillsOnceWithTheProbeGrace_ThenHoldsUntilANewContainer()
    {
        var pod = PodWith(c => c.LivenessProbe = Exec("alive", failure: 2, grace: 5));
        _probes.Update(pod, Running(pod));
        _target.Answer("alive", 1);

        await Tick(pod, ProbeKind.Liveness);
        Assert.Empty(_target.Kills);
        await Tick(pod, ProbeKind.Liveness);
        var kill = Assert.Single(_target.Kills);
        Assert.Equal(("app", "containerd://c1", TimeSpan.FromSeconds(5), "Container app failed liveness probe, will be restarted"), kill);

        await Tick(pod, ProbeKind.Liveness);
        await Tick(pod, ProbeKind.Liveness);
        Assert.Equal(2, _target.Execs("alive"));
        Assert.Single(_target.Kills);

        // The restarted container is probed again, from a fresh count.
        _probes.Update(pod, Running(pod, id: "containerd://c2"));
        await Tick(pod, ProbeKind.Liveness);
        Assert.Equal(3, _target.Execs("alive"));
        Assert.Single(_target.Kills);
    }

    [Fact]
    public async Task Liveness_WithoutProbeGrace_UsesThePodsTerminationGracePeriod()
    {
        var pod = PodWith(c => c.LivenessProbe = Exec("alive", failure: 1));
        _probes.Update(pod, Running(pod));
        _target.Answer("alive", 1);

        await Tick(pod, ProbeKind.Liveness);

        Assert.Equal(TimeSpan.FromSeconds(30), Assert.Single(_target.Kills).Grace);
    }

    [Fact]
    public async Task StartupProbe_GatesLivenessAndReadiness_UntilItSucceeds()
    {
        var pod = PodWith(c =>
        {
            c.StartupProbe = Exec("started", failure: 100);
            c.LivenessProbe = Exec("alive", failure: 1);
            c.ReadinessProbe = Exec("ready");
        });
        _probes.Update(pod, Running(pod));
        _target.Answer("started", 1);
        _target.Answer("alive", 1);
        _target.Answer("ready", 0);

        await Tick(pod, ProbeKind.Startup);
        await Tick(pod, ProbeKind.Liveness);
        await Tick(pod, ProbeKind.Readiness);
        Assert.Equal((0, 0), (_target.Execs("alive"), _target.Execs("ready")));
        Assert.False(_probes.IsStarted(pod.Metadata.Uid, pod.Spec.Containers[0], "containerd://c1"));
        Assert.False(Ready(pod));

        _target.Answer("started", 0);
        await Tick(pod, ProbeKind.Startup);
        Assert.True(_probes.IsStarted(pod.Metadata.Uid, pod.Spec.Containers[0], "containerd://c1"));
        await Tick(pod, ProbeKind.Readiness);
        Assert.True(Ready(pod));

        // Once started, the startup probe stops running.
        await Tick(pod, ProbeKind.Startup);
        Assert.Equal(2, _target.Execs("started"));
    }

    [Fact]
    public async Task InitialDelay_CountsFromTheContainersStart()
    {
        var pod = PodWith(c => c.ReadinessProbe = Exec("ready", delay: 10));
        _probes.Update(pod, Running(pod, startedAt: Start));
        _target.Answer("ready", 0);

        _time.Advance(TimeSpan.FromSeconds(9));
        await Tick(pod, ProbeKind.Readiness);
        Assert.Equal(0, _target.Execs("ready"));

        _time.Advance(TimeSpan.FromSeconds(1));
        await Tick(pod, ProbeKind.Readiness);
        Assert.Equal(1, _target.Execs("ready"));
        Assert.True(Ready(pod));
    }

    [Fact]
    public async Task AContainerThatStopped_IsNotReady_AndResultsBelongToOneContainerId()
    {
        var pod = PodWith(c => c.ReadinessProbe = Exec("ready"));
        _probes.Update(pod, Running(pod));
        _target.Answer("ready", 0);
        await Tick(pod, ProbeKind.Readiness);
        Assert.True(Ready(pod));
        Assert.False(Ready(pod, "containerd://other"));

        _probes.Update(pod, Running(pod, state: ContainerState.Exited));
        await Tick(pod, ProbeKind.Readiness);
        Assert.False(Ready(pod));
    }

    [Fact]
    public async Task StatusBuilder_ReportsReadyOnlyOnceTheReadinessProbePassed()
    {
        var pod = PodWith(c => c.ReadinessProbe = Exec("ready"));
        var rt = Running(pod);
        _probes.Update(pod, rt);

        var before = PodStatusBuilder.Build(pod, rt, "192.0.2.2", _probes);
        Assert.Equal((true, false), (before.ContainerStatuses[0].Started!.Value, before.ContainerStatuses[0].Ready));
        Assert.Equal("False", before.Conditions.Single(c => c.Type == "Ready").Status);

        _target.Answer("ready", 0);
        await Tick(pod, ProbeKind.Readiness);
        var after = PodStatusBuilder.Build(pod, rt, "192.0.2.2", _probes);
        Assert.True(after.ContainerStatuses[0].Ready);
        Assert.Equal("True", after.Conditions.Single(c => c.Type == "ContainersReady").Status);
    }

    [Fact]
    public async Task ResultChanges_RaiseChanged_ForThePod()
    {
        var changed = new ConcurrentQueue<string>();
        _probes.Changed += changed.Enqueue;
        var pod = PodWith(c => c.ReadinessProbe = Exec("ready"));
        _probes.Update(pod, Running(pod));
        _target.Answer("ready", 0);

        await Tick(pod, ProbeKind.Readiness);

        Assert.Contains(pod.Metadata.Uid, changed);
    }

    [Fact]
    public async Task HttpGet_GoesToThePodIpAndNamedPort_WithHeaders_And2xx3xxAreSuccess()
    {
        var pod = PodWith(c =>
        {
            c.Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }];
            c.ReadinessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "http", HttpHeaders = [new V1HTTPHeader { Name = "X-Check", Value = "1" }] },
            };
        });
        _probes.Update(pod, Running(pod));
        _http.Status = HttpStatusCode.Found;

        await Tick(pod, ProbeKind.Readiness);

        var request = Assert.Single(_http.Requests);
        Assert.Equal("http://10.244.0.7:8080/healthz", request.Url);
        Assert.Equal("kube-probe/1.32", request.Headers["User-Agent"]);
        Assert.Equal("1", request.Headers["X-Check"]);
        Assert.True(Ready(pod));

        _http.Status = HttpStatusCode.InternalServerError;
        for (var i = 0; i < 3; i++)
        {
            await Tick(pod, ProbeKind.Readiness);
        }

        Assert.False(Ready(pod));
        Assert.Contains(("Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 500", "spec.containers{app}"), _events.All);
    }

    [Fact]
    public async Task TcpSocket_SucceedsOnAListeningPort_AndFailsOnAClosedOne()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var open = ((IPEndPoint)listener.LocalEndpoint).Port;
        var runner = new HandlerRunner(_target, new HttpMessageInvoker(_http), _time);
        var container = new V1Container { Name = "app" };

        var ok = await runner.ProbeAsync(new V1Probe { TcpSocket = new V1TCPSocketAction { Host = "127.0.0.1", Port = open.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            container, "containerd://c1", null, CancellationToken.None);
        listener.Stop();
        var closed = await runner.ProbeAsync(new V1Probe { TcpSocket = new V1TCPSocketAction { Host = "127.0.0.1", Port = open.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            container, "containerd://c1", null, CancellationToken.None);

        Assert.Equal(ProbeResult.Success, ok.Result);
        Assert.Equal(ProbeResult.Failure, closed.Result);
        Assert.Equal($"dial tcp 127.0.0.1:{open}: connect: connection refused", closed.Output);
    }

    [Fact]
    public async Task HttpGet_ToAClosedPort_FailsAsTheKubeletWordsIt()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = HandlerRunner.CreateHttpClient();
        var runner = new HandlerRunner(_target, http, _time);

        var outcome = await runner.ProbeAsync(new V1Probe { HttpGet = new V1HTTPGetAction { Port = port.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            new V1Container { Name = "app" }, "c1", "127.0.0.1", CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Failure, $"Get \"http://127.0.0.1:{port}/\": dial tcp 127.0.0.1:{port}: connect: connection refused"), outcome);
    }

    [Fact]
    public async Task ExecTimeout_IsAFailureSayingSo()
    {
        var runner = new HandlerRunner(_target, new HttpMessageInvoker(_http), _time);
        _target.Timeout = true;

        var outcome = await runner.ProbeAsync(new V1Probe { Exec = new V1ExecAction { Command = ["sh", "-c", "sleep 9"] } }, new V1Container { Name = "app" }, "c1", null, CancellationToken.None);

        Assert.Equal(new ProbeOutcome(ProbeResult.Failure, "command \"sh -c sleep 9\" timed out"), outcome);
        Assert.Equal(TimeSpan.FromSeconds(1), _target.LastTimeout);
    }

    [Fact]
    public async Task Hooks_ExecFailureIsDescribed_SleepWaitsOnTheClock()
    {
        var runner = new HandlerRunner(_target, new HttpMessageInvoker(_http), _time);
        var pod = Pod("web");
        _target.Answer("sh", 7, "boom");

        var error = await runner.HookAsync(new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["sh", "-c", "exit 7"] } },
            pod, pod.Spec.Containers[0], "c1", null, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal("Exec lifecycle hook ([sh -c exit 7]) for Container \"app\" in Pod \"web_default(uid-web)\" failed - error: command 'sh -c exit 7' exited with 7: boom, message: \"\"", error);

        var sleep = runner.HookAsync(new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = 5 } }, pod, pod.Spec.Containers[0], "c1", null, TimeSpan.FromSeconds(30), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(sleep.IsCompleted);
        await AdvanceUntil(_time, TimeSpan.FromSeconds(1), () => sleep.IsCompleted, "the sleep hook");
        Assert.Null(await sleep);
    }

    private sealed class FakeProbeTarget : IContainerProbeTarget
    {
        private readonly ConcurrentDictionary<string, (int Code, string Output)> _answers = new();
        private readonly ConcurrentDictionary<string, int> _execs = new();

        public ConcurrentQueue<(string Container, string Id, TimeSpan Grace, string Message)> Kills { get; } = new();

        public bool Timeout { get; set; }

        public TimeSpan LastTimeout { get; private set; }

        public void Answer(string command, int code, string output = "") => _answers[command] = (code, output);

        public int Execs(string command) => _execs.GetValueOrDefault(command);

        public Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
        {
            LastTimeout = timeout;
            if (Timeout)
            {
                throw new TimeoutException("timeout 1s exceeded");
            }

            _execs.AddOrUpdate(command[0], 1, (_, n) => n + 1);
            var (code, output) = _answers.GetValueOrDefault(command[0], (127, "not found"));
            return Task.FromResult(new ExecResult(code, output));
        }

        public Task KillContainerAsync(V1Pod pod, string containerName, string containerId, TimeSpan grace, string message, CancellationToken ct)
        {
            Kills.Enqueue((containerName, containerId, grace, message));
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingEvents : IPodEvents
    {
        public ConcurrentQueue<(string Type, string Reason, string Message, string? FieldPath)> All { get; } = new();

        public int Count(string reason) => All.Count(e => e.Reason == reason);

        public void Record(V1Pod pod, string type, string reason, string message, string? fieldPath = null) => All.Enqueue((type, reason, message, fieldPath));
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        public ConcurrentQueue<(string Url, Dictionary<string, string> Headers)> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue((request.RequestUri!.ToString(), request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value))));
            return Task.FromResult(new HttpResponseMessage(Status) { Content = new StringContent("ok") });
        }
    }
}
