using System.Net;
using k8s;
using k8s.Models;
using KubeWeb.Agent.Connection;
using KubeWeb.Agent.Hosting;
using KubeWeb.Agent.Runtime.Simulated;
using KubeWeb.Core.Agents;
using KubeWeb.E2E.Infrastructure;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace KubeWeb.E2E.StaticPods;

/// <summary>A server and one simulated node that runs the manifests in its own folder.</summary>
public sealed class StaticPodNode : IAsyncLifetime
{
    private ILoggerFactory _loggers = null!;

    public string Dir { get; } = Directory.CreateTempSubdirectory("kw-static-").FullName;

    public string Manifests => Path.Combine(Dir, "manifests");

    public ServerHost Server { get; private set; } = null!;

    public AgentHost Agent { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _loggers = LoggerFactory.Create(b =>
        {
            b.AddProvider(new FileLoggerProvider(Path.Combine(Dir, "agent.log")));
            b.SetMinimumLevel(LogLevel.Information);
            b.AddFilter("Microsoft", LogLevel.Warning);
        });
        var data = Path.Combine(Dir, "data");
        Server = await ServerHost.StartAsync(new ServerSettings { DataDir = data, HttpsPort = 0, BindAddress = IPAddress.Loopback }, logging: b =>
        {
            b.AddProvider(new FileLoggerProvider(Path.Combine(Dir, "server.log")));
            b.SetMinimumLevel(LogLevel.Information);
            b.AddFilter("Microsoft", LogLevel.Warning);
        });
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
        await StartAgentAsync();
    }

    /// <summary>Starts the node's agent (again, after <see cref="StopAgentAsync"/>).</summary>
    public async Task StartAgentAsync()
    {
        var data = Path.Combine(Dir, "data");
        var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(data, "tls", "ca.crt"));
        Agent = AgentHost.Start(new AgentOptions
        {
            Connection = new AgentConnectionSettings { Server = new Uri(Server.Url), Token = File.ReadAllText(Server.NodeTokenPath).Trim(), CertificateAuthority = ca, MaxReconnectDelay = TimeSpan.FromSeconds(1) },
            NodeName = "static-node",
            Runtime = RuntimeKind.Simulated,
            Simulated = new SimulatedRuntimeOptions { StartDelay = TimeSpan.FromMilliseconds(100), TerminationScale = 0.01 },
            PodManifestPath = Manifests,
            StatsInterval = TimeSpan.FromSeconds(1),
        }, _loggers);
        await Agent.Nodes[0].Registered.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops the agent; its simulated pods go with it (a real runtime would keep them).</summary>
    public async Task StopAgentAsync() => await Agent.DisposeAsync();

    public async Task DisposeAsync()
    {
        await Agent.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
        _loggers.Dispose();
        if (Environment.GetEnvironmentVariable("KUBEWEB_E2E_KEEP") != "1")
        {
            try
            {
                Directory.Delete(Dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>Static pods from <c>--pod-manifest-path</c>: mirror pods in the API, recreated on delete, replaced on edit, removed with the file.</summary>
[Trait("Category", "E2E")]
public sealed class StaticPodScenarios(StaticPodNode node, ITestOutputHelper output) : IClassFixture<StaticPodNode>, IDisposable
{
    private readonly Infrastructure.Kubectl _kubectl = new(node.Server.KubeconfigPath, output);

    public void Dispose() => _kubectl.Dispose();

    [Fact]
    public async Task Manifest_RunsAsMirroredPod_SurvivesMirrorDeletion_ReplacedOnEdit_GoneWithFile()
    {
        var file = Path.Combine(node.Manifests, "web.yaml");
        await File.WriteAllTextAsync(file, Manifest("busybox:1.0"));

        var mirror = await RunningMirrorAsync(null);
        Assert.Equal("static-node", mirror.Spec.NodeName);
        Assert.Equal("file", mirror.Metadata.Annotations["kubernetes.io/config.source"]);
        var hash = mirror.Metadata.Annotations["kubernetes.io/config.hash"];
        Assert.Equal(hash, mirror.Metadata.Annotations["kubernetes.io/config.mirror"]);
        var owner = Assert.Single(mirror.Metadata.OwnerReferences);
        Assert.Equal(("Node", "static-node"), (owner.Kind, owner.Name));
        Assert.Equal("static", mirror.Metadata.Labels["tier"]);
        var containerId = Assert.Single(mirror.Status.ContainerStatuses).ContainerID;
        Assert.Contains(mirror.Metadata.Name, (await Ok("get", "pods", "-n", "default")).Stdout, StringComparison.Ordinal);

        // Usage is reported under the mirror pod.
        KubectlResult? top = null;
        Assert.True(await EventuallyAsync(async () => (top = await _kubectl.RunAsync("top", "pod", "web-static-node", "-n", "default", "--no-headers")).ExitCode == 0),
            $"kubectl top should show the static pod\n{top}");

        // Deleting the mirror through the API: a plain (waiting) kubectl delete returns, the mirror comes
        // back (new uid), the container keeps running. Three times: the replacement must never look to
        // kubectl's wait like the old pod still there.
        var previous = mirror;
        for (var i = 0; i < 3; i++)
        {
            var deleted = (await _kubectl.RunAsync("delete", "pod", "web-static-node", "-n", "default")).Succeeded();
            Assert.Contains("pod \"web-static-node\" deleted", deleted.Stdout, StringComparison.Ordinal);
            var uid = previous.Metadata.Uid;
            var recreated = await RunningMirrorAsync(m => m.Metadata.Uid != uid);
            Assert.Equal(hash, recreated.Metadata.Annotations["kubernetes.io/config.hash"]);
            var status = Assert.Single(recreated.Status.ContainerStatuses);
            Assert.Equal(containerId, status.ContainerID);
            Assert.Equal(0, status.RestartCount);
            Assert.Single(await node.Agent.Nodes[0].Runtime.ListPodsAsync(CancellationToken.None));
            previous = recreated;
        }

        // Editing the manifest replaces the pod.
        await File.WriteAllTextAsync(file, Manifest("busybox:2.0"));
        var edited = await RunningMirrorAsync(m => m.Metadata.Annotations["kubernetes.io/config.hash"] != hash);
        Assert.Equal("busybox:2.0", edited.Spec.Containers[0].Image);
        Assert.NotEqual(containerId, Assert.Single(edited.Status.ContainerStatuses).ContainerID);
        Assert.True(await EventuallyAsync(async () => (await node.Agent.Nodes[0].Runtime.ListPodsAsync(CancellationToken.None)).Count == 1), "the old static pod should be removed");

        // Removing the file stops the pod and deletes the mirror.
        File.Delete(file);
        Assert.True(await EventuallyAsync(async () =>
            (await node.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "metadata.name=web-static-node")).Items.Count == 0 &&
            (await node.Agent.Nodes[0].Runtime.ListPodsAsync(CancellationToken.None)).Count == 0), "the mirror and the pod should be gone");
    }

    [Fact]
    public async Task MirrorAUserIsDeleting_IsRemoved_AndCreatedAgainOnlyByALaterSync()
    {
        // A node without an agent, so nothing but this test writes its mirror.
        var ghost = await node.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "ghost-node" } });
        var writer = node.Server.Services.GetRequiredService<KubeWeb.Api.Agents.MirrorPodWriter>();
        var request = new MirrorPodRequest("default", "db-ghost-node", "hash-1", "");
        V1Pod Mirror() => new() { Metadata = new V1ObjectMeta { Name = "db-ghost-node" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.0" }] } };
        try
        {
            var first = await writer.SyncAsync("ghost-node", ghost.Metadata.Uid, request, Mirror(), CancellationToken.None);
            Assert.True(first.Created);
            var deleting = await node.Client.CoreV1.DeleteNamespacedPodAsync("db-ghost-node", "default");
            Assert.NotNull(deleting.Metadata.DeletionTimestamp);

            var removed = await writer.SyncAsync("ghost-node", ghost.Metadata.Uid, request, Mirror(), CancellationToken.None);

            // Gone, not replaced in the same breath: kubectl's wait sees the name free or the DELETED event.
            Assert.Equal((null, false, null), (removed.Uid, removed.Created, removed.Conflict));
            Assert.Empty((await node.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "metadata.name=db-ghost-node")).Items);
            var again = await writer.SyncAsync("ghost-node", ghost.Metadata.Uid, request, Mirror(), CancellationToken.None);
            Assert.True(again.Created);
            Assert.NotEqual(first.Uid, again.Uid);
        }
        finally
        {
            await node.Client.CoreV1.DeleteNamespacedPodAsync("db-ghost-node", "default", gracePeriodSeconds: 0);
            await node.Client.CoreV1.DeleteNodeAsync("ghost-node");
        }
    }

    [Fact]
    public async Task InvalidManifest_IsIgnored_OthersRun()
    {
        await File.WriteAllTextAsync(Path.Combine(node.Manifests, "broken.yaml"), "kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: nope\n");
        await File.WriteAllTextAsync(Path.Combine(node.Manifests, "ok.json"), """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"json","namespace":"kube-system"},"spec":{"containers":[{"name":"c","image":"busybox:1.0"}]}}""");
        try
        {
            Assert.True(await EventuallyAsync(async () =>
                (await node.Client.CoreV1.ListNamespacedPodAsync("kube-system", fieldSelector: "metadata.name=json-static-node")).Items is [{ Status.Phase: "Running" }]),
                "the JSON manifest should run in kube-system");
            Assert.Empty((await node.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "metadata.name=nope-static-node")).Items);
        }
        finally
        {
            File.Delete(Path.Combine(node.Manifests, "broken.yaml"));
            File.Delete(Path.Combine(node.Manifests, "ok.json"));
        }

        Assert.True(await EventuallyAsync(async () =>
            (await node.Client.CoreV1.ListNamespacedPodAsync("kube-system", fieldSelector: "metadata.name=json-static-node")).Items.Count == 0));
    }

    [Fact]
    public async Task ManifestRemovedWhileTheAgentWasDown_ItsOrphanedMirrorIsDeleted()
    {
        var file = Path.Combine(node.Manifests, "orphan.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: orphan\nspec:\n  containers:\n  - name: c\n    image: busybox:1.0\n");
        Assert.True(await EventuallyAsync(async () =>
            (await node.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "metadata.name=orphan-static-node")).Items.Count == 1), "the mirror should appear");

        await node.StopAgentAsync();
        File.Delete(file);
        await node.StartAgentAsync();

        Assert.True(await EventuallyAsync(async () =>
            (await node.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "metadata.name=orphan-static-node")).Items.Count == 0),
            "the restarted agent should delete the mirror of a manifest that is gone");
    }

    private async Task<V1Pod> RunningMirrorAsync(Func<V1Pod, bool>? also)
    {
        V1Pod? found = null;
        Assert.True(await EventuallyAsync(async () =>
        {
            var list = await node.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "metadata.name=web-static-node");
            found = list.Items.SingleOrDefault(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running"
                && p.Status.ContainerStatuses is [{ Ready: true }] && (also?.Invoke(p) ?? true));
            return found is not null;
        }), "the mirror pod should be Running");
        return found!;
    }

    private static string Manifest(string image) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels:
            tier: static
        spec:
          containers:
          - name: app
            image: {image}
        """;

    private async Task<KubectlResult> Ok(params string[] args) => (await _kubectl.RunAsync(args)).Succeeded();

    private static Task<bool> EventuallyAsync(Func<Task<bool>> condition) => Eventually.HoldsAsync(condition);
}
