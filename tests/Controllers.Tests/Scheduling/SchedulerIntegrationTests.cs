using System.Net;
using k8s;
using k8s.Models;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Tests.Scheduling;

/// <summary>
/// The real server in process (its controller manager runs the scheduler); nodes are plain Node
/// objects created through the API (no agents), pods are created with the official client.
/// </summary>
[Collection(ControllerManagerHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SchedulerIntegrationTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("kw-sched-").FullName;
    private ServerHost? _server;
    private Kubernetes? _client;

    private Kubernetes Client => _client!;

    public async Task InitializeAsync()
    {
        _server = await ServerHost.StartAsync(new ServerSettings { DataDir = _dataDir, HttpsPort = 0, BindAddress = IPAddress.Loopback },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_server.KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            try
            {
                await _server.DisposeAsync();
            }
            catch (ObjectDisposedException)
            {
                // ObjectStore is disposed twice on shutdown (bootstrapper and container); the fix is on helper/e2e.
            }
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Still held open by SQLite; the OS cleans temp folders.
        }
    }

    [Fact]
    public async Task Pods_AreBoundToFittingNodes_AndAnImpossibleSelectorIsReported()
    {
        await CreateNodeAsync("cp", cpu: "8", labels: new() { ["node-role.kubernetes.io/control-plane"] = "" },
            taints: [new V1Taint { Key = "node-role.kubernetes.io/control-plane", Effect = "NoSchedule" }]);
        await CreateNodeAsync("small", cpu: "2", labels: new() { ["disk"] = "ssd" });
        await CreateNodeAsync("large", cpu: "8", labels: new() { ["disk"] = "hdd" });

        await CreatePodAsync("on-ssd", selector: new() { ["disk"] = "ssd" });
        await CreatePodAsync("needs-4-cpus", cpu: "4");
        await CreatePodAsync("impossible", selector: new() { ["disk"] = "nvme" });

        Assert.Equal("small", await WaitForNodeAsync("on-ssd"));
        Assert.Equal("large", await WaitForNodeAsync("needs-4-cpus"));

        const string expected = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, " +
            "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
        var condition = await EventuallyAsync(async () =>
        {
            var pod = await Client.CoreV1.ReadNamespacedPodAsync("impossible", "default");
            return pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
        });
        Assert.Equal("Unschedulable", condition.Reason);
        Assert.Equal(expected, condition.Message);
        var stillPending = await Client.CoreV1.ReadNamespacedPodAsync("impossible", "default");
        Assert.True(string.IsNullOrEmpty(stillPending.Spec.NodeName));

        var failed = await EventuallyAsync(async () => (await Client.CoreV1.ListNamespacedEventAsync("default"))
            .Items.FirstOrDefault(e => e.InvolvedObject.Name == "impossible" && e.Reason == "FailedScheduling"));
        Assert.Equal("Warning", failed.Type);
        Assert.Equal(expected, failed.Message);
        Assert.Equal("default-scheduler", failed.Source?.Component);

        var scheduled = await EventuallyAsync(async () => (await Client.CoreV1.ListNamespacedEventAsync("default"))
            .Items.FirstOrDefault(e => e.InvolvedObject.Name == "on-ssd" && e.Reason == "Scheduled"));
        Assert.Equal("Successfully assigned default/on-ssd to small", scheduled.Message);

        // A matching node appearing makes the parked pod schedulable.
        await CreateNodeAsync("fast", cpu: "2", labels: new() { ["disk"] = "nvme" });
        Assert.Equal("fast", await WaitForNodeAsync("impossible"));
        var bound = await Client.CoreV1.ReadNamespacedPodAsync("impossible", "default");
        Assert.Equal("True", bound.Status.Conditions.Single(c => c.Type == "PodScheduled").Status);
    }

    [Fact]
    public async Task ManyPods_FillNodesByResources_WithoutOvercommitting()
    {
        // Own nodes and pods, pinned together, so other tests' nodes and pods on the shared server do not count.
        Dictionary<string, string> pool = new() { ["pool"] = "fill" };
        await CreateNodeAsync("n1", cpu: "2", labels: pool);
        await CreateNodeAsync("n2", cpu: "2", labels: pool);
        for (var i = 0; i < 5; i++)
        {
            await CreatePodAsync($"worker-{i}", cpu: "1", selector: pool);
        }

        var seen = "";
        var placed = await EventuallyAsync(async () =>
        {
            var pods = (await Client.CoreV1.ListNamespacedPodAsync("default")).Items.Where(p => p.Metadata.Name.StartsWith("worker-", StringComparison.Ordinal)).ToList();
            var bound = pods.Where(p => !string.IsNullOrEmpty(p.Spec.NodeName)).ToList();
            var parked = pods.Any(p => p.Status?.Conditions?.Any(c => c is { Type: "PodScheduled", Status: "False" }) == true);
            // What the last poll saw, for the failure message.
            seen = string.Join("; ", pods.Select(p => $"{p.Metadata.Name} on '{p.Spec.NodeName}' " +
                string.Join(",", (p.Status?.Conditions ?? []).Select(c => $"{c.Type}={c.Status}/{c.Reason}"))));
            return bound.Count == 4 && parked ? bound : null;
        }, () => seen);
        Assert.Equal(2, placed.Count(p => p.Spec.NodeName == "n1"));
        Assert.Equal(2, placed.Count(p => p.Spec.NodeName == "n2"));
    }

    private async Task CreateNodeAsync(string name, string cpu, Dictionary<string, string>? labels = null, List<V1Taint>? taints = null)
    {
        var allocatable = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpu),
            ["memory"] = new("8Gi"),
            ["pods"] = new("110"),
        };
        var allLabels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux" };
        foreach (var (k, v) in labels ?? [])
        {
            allLabels[k] = v;
        }

        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = allLabels },
            Spec = new V1NodeSpec { Taints = taints },
            Status = new V1NodeStatus
            {
                Capacity = allocatable,
                Allocatable = allocatable,
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", Message = "ready" }],
            },
        };
        var created = await Client.CoreV1.CreateNodeAsync(node);
        if (created.Status?.Allocatable is not { Count: > 0 })
        {
            created.Status = node.Status;
            await Client.CoreV1.ReplaceNodeStatusAsync(created, name);
        }
    }

    private Task<V1Pod> CreatePodAsync(string name, string cpu = "100m", Dictionary<string, string>? selector = null) =>
        Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec
            {
                NodeSelector = selector,
                Containers =
                [
                    new V1Container
                    {
                        Name = "app",
                        Image = "nginx",
                        Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new("64Mi") } },
                    },
                ],
            },
        }, "default");

    private async Task<string> WaitForNodeAsync(string pod) =>
        await EventuallyAsync(async () => (await Client.CoreV1.ReadNamespacedPodAsync(pod, "default")).Spec.NodeName is { Length: > 0 } n ? n : null);

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, Func<string>? last = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within 30 s{(last is null ? "" : ": " + last())}");
            }

            await Task.Delay(100);
        }
    }
}

/// <summary><see cref="ControllerManagerHost.ConfigureControllers"/> is static: tests that set it must not run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ControllerManagerHostCollection
{
    public const string Name = "ControllerManagerHost";
}
