using System.Diagnostics;
using k8s;
using k8s.Models;
using KubeWeb.Api.Agents;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Agent;

/// <summary>Simulated node agents against the real server: registration, leases, pods, deletion, reconnects.</summary>
[Trait("Category", "Slow")]
public sealed class AgentNodeTests(AgentCluster cluster, ITestOutputHelper output) : IClassFixture<AgentCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Nodes_Register_Ready_WithLabelsTaintsAndNodeInfo()
    {
        foreach (var name in new[] { "sim-0", "sim-1", "sim-2" })
        {
            var node = await cluster.Client.CoreV1.ReadNodeAsync(name);
            Assert.Equal("True", node.Status.Conditions.Single(c => c.Type == "Ready").Status);
            Assert.Equal(name, node.Metadata.Labels["kubernetes.io/hostname"]);
            Assert.Equal("linux", node.Metadata.Labels["kubernetes.io/os"]);
            Assert.True(node.Metadata.Labels.ContainsKey("kubernetes.io/arch"));
            Assert.Equal("a", node.Metadata.Labels["zone"]);
            var taint = Assert.Single(node.Spec.Taints);
            Assert.Equal(("dedicated", "gpu", "NoSchedule"), (taint.Key, taint.Value, taint.Effect));
            Assert.Equal("v1.32.0", node.Status.NodeInfo.KubeletVersion);
            Assert.Equal("simulated://1.0.0", node.Status.NodeInfo.ContainerRuntimeVersion);
            Assert.Equal("110", node.Status.Capacity["pods"].ToString());
            Assert.StartsWith("10.244.", node.Spec.PodCIDR, StringComparison.Ordinal);
            Assert.Contains(node.Status.Addresses, a => a.Type == "InternalIP");
        }

        var wide = await cluster.KubectlAsync("get", "nodes", "-o", "wide");
        output.WriteLine(wide);
        Assert.Equal(3, wide.Split('\n').Count(l => l.StartsWith("sim-", StringComparison.Ordinal) && l.Contains(" Ready ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Leases_AreRenewed_InKubeNodeLease()
    {
        var first = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("sim-0", "kube-node-lease");
        Assert.Equal("sim-0", first.Spec.HolderIdentity);
        Assert.Equal(40, first.Spec.LeaseDurationSeconds);
        Assert.Equal("Node", first.Metadata.OwnerReferences.Single().Kind);
        await AgentCluster.WaitUntilAsync(async () =>
        {
            var now = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("sim-0", "kube-node-lease");
            return now.Spec.RenewTime > first.Spec.RenewTime;
        }, Timeout, "the lease to be renewed");
    }

    [Fact]
    public async Task Pod_BoundToNode_RunsWithIpAndReady_AndDeletionWaitsForGracePeriod()
    {
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("web", "sim-1", grace: 10), "default");
        var pod = await WaitForPodAsync("web", p => p.Status?.Phase == "Running");
        Assert.StartsWith("10.244.", pod.Status.PodIP, StringComparison.Ordinal);
        Assert.Equal(pod.Status.PodIP, pod.Status.PodIPs.Single().Ip);
        Assert.Equal("True", pod.Status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal("True", pod.Status.Conditions.Single(c => c.Type == "ContainersReady").Status);
        Assert.Equal("True", pod.Status.Conditions.Single(c => c.Type == "PodScheduled").Status);
        Assert.Equal("BestEffort", pod.Status.QosClass);
        Assert.NotNull(pod.Status.StartTime);
        var container = pod.Status.ContainerStatuses.Single();
        Assert.True(container.Ready);
        Assert.NotNull(container.State.Running);
        Assert.StartsWith("simulated://", container.ContainerID, StringComparison.Ordinal);
        Assert.Equal("docker.io/library/nginx:1.25", container.Image);

        var wide = await cluster.KubectlAsync("get", "pods", "web", "-o", "wide");
        output.WriteLine(wide);
        Assert.Matches(@"web\s+1/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+sim-1", wide);

        // 10 s grace × 0.1 termination scale: the pod stays Terminating about a second, then is gone.
        var sw = Stopwatch.StartNew();
        await cluster.KubectlAsync("delete", "pod", "web", "--wait=false");
        var terminating = await cluster.Client.CoreV1.ReadNamespacedPodAsync("web", "default");
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        await AgentCluster.WaitUntilAsync(async () => (await cluster.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "metadata.name=web")).Items.Count == 0,
            Timeout, "the pod to be removed");
        output.WriteLine($"deleted after {sw.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(900), $"removed after {sw.Elapsed}, before its (scaled) grace period");
        var node = cluster.Nodes.Nodes.Single(n => n.NodeName == "sim-1");
        await AgentCluster.WaitUntilAsync(async () => (await node.Runtime.ListPodsAsync(default)).All(p => p.Name != "web"), Timeout, "the runtime to forget the pod");
    }

    [Fact]
    public async Task StatusReports_ChangeOnlyStatus_AndAreOwnedByTheKubelet()
    {
        var created = Pod("status-only", "sim-2", grace: 0);
        created.Metadata.Labels = new Dictionary<string, string> { ["app"] = "status-only" };
        created.Spec.Containers[0].Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m"), ["memory"] = new("64Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("128Mi") },
        };
        var first = await cluster.Client.CoreV1.CreateNamespacedPodAsync(created, "default");
        var pod = await WaitForPodAsync("status-only", p => p.Status?.Phase == "Running" && p.Status.PodIP is not null);

        // The agent's reports (decoded without the spec) leave spec and metadata as they were.
        Assert.Equal(KubeWeb.Core.Serialization.KubeJson.SerializeToUtf8(first.Spec), KubeWeb.Core.Serialization.KubeJson.SerializeToUtf8(pod.Spec));
        Assert.Equal("status-only", pod.Metadata.Labels["app"]);
        Assert.Equal(first.Metadata.Uid, pod.Metadata.Uid);
        Assert.Equal("Burstable", pod.Status.QosClass);
        Assert.Equal("True", pod.Status.Conditions.Single(c => c.Type == "PodScheduled").Status);
        Assert.Equal("True", pod.Status.Conditions.Single(c => c.Type == "ContainersReady").Status);

        var kubelet = Assert.Single(pod.Metadata.ManagedFields, m => m.Manager == "kubelet");
        Assert.Equal(("Update", "status"), (kubelet.Operation, kubelet.Subresource));
        var owned = System.Text.Json.JsonSerializer.Serialize(kubelet.FieldsV1);
        Assert.Contains("\"f:status\"", owned, StringComparison.Ordinal);
        Assert.DoesNotContain("\"f:spec\"", owned, StringComparison.Ordinal);
        Assert.DoesNotContain("\"f:metadata\"", owned, StringComparison.Ordinal);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("status-only", "default");
    }

    [Fact]
    public async Task AStatusEditedByHand_IsPutBackByTheAgent()
    {
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("restored", "sim-0", grace: 0), "default");
        var running = await WaitForPodAsync("restored", p => p.Status?.Phase == "Running" && p.Status.PodIP is not null);

        // Someone (not the node) rewrites what the node owns: the pod's IP and readiness.
        var patch = new V1Patch("""{"status":{"podIP":"10.9.9.9","conditions":[{"type":"Ready","status":"False"}]}}""",
            V1Patch.PatchType.StrategicMergePatch);
        var edited = await cluster.Client.CoreV1.PatchNamespacedPodStatusAsync(patch, "restored", "default");
        Assert.Equal("10.9.9.9", edited.Status.PodIP);

        // The agent sees the change on its feed and reports its own view again, as the kubelet's status sync does.
        var restored = await WaitForPodAsync("restored", p => p.Status?.Phase == "Running" && p.Status.PodIP == running.Status.PodIP &&
            p.Status.Conditions.Single(c => c.Type == "Ready").Status == "True");
        Assert.NotEqual(edited.Metadata.ResourceVersion, restored.Metadata.ResourceVersion);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("restored", "default");
    }

    [Fact]
    public async Task APodMarkedFailedByHand_IsStoppedOnItsNode_AndStaysFailed()
    {
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("marked", "sim-0", grace: 1), "default");
        await WaitForPodAsync("marked", p => p.Status?.Phase == "Running");

        // As the pod GC marks the pods of a vanished node: a terminal phase, which the node must honour.
        var patch = new V1Patch("""{"status":{"phase":"Failed","reason":"Marked","message":"marked failed by the test"}}""", V1Patch.PatchType.MergePatch);
        await cluster.Client.CoreV1.PatchNamespacedPodStatusAsync(patch, "marked", "default");

        var stopped = await WaitForPodAsync("marked", p => p.Status.ContainerStatuses?.SingleOrDefault()?.State?.Terminated is not null);
        Assert.Equal("Failed", stopped.Status.Phase);
        Assert.False(stopped.Status.ContainerStatuses.Single().Ready);
        var node = cluster.Nodes.Nodes.Single(n => n.NodeName == "sim-0");
        var rt = (await node.Runtime.ListPodsAsync(default)).Single(p => p.Name == "marked");
        Assert.NotNull(rt.StoppedAt);
        Assert.All(rt.Containers, c => Assert.Equal(KubeWeb.Agent.Runtime.ContainerState.Exited, c.State));
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("marked", "default");
    }

    [Fact]
    public async Task Reconnect_ResyncsFromSnapshot_WithoutDuplicatingOrRestartingPods()
    {
        var node = cluster.Nodes.Nodes.Single(n => n.NodeName == "sim-2");
        var names = new[] { "r-0", "r-1", "r-2" };
        foreach (var name in names)
        {
            await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod(name, "sim-2", grace: 1), "default");
        }

        foreach (var name in names)
        {
            await WaitForPodAsync(name, p => p.Status?.Phase == "Running");
        }

        var before = (await node.Runtime.ListPodsAsync(default)).Where(p => names.Contains(p.Name))
            .ToDictionary(p => p.Name, p => p.Containers.Single().Id);
        Assert.Equal(3, before.Count);
        var registrations = node.Registrations;

        // Drop the node's connection on the server side, as a network failure would.
        Assert.True(cluster.Server.Services.GetRequiredService<AgentSessions>().Abort("sim-2"));
        await AgentCluster.WaitUntilAsync(() => Task.FromResult(node.Registrations > registrations), Timeout, "the agent to reconnect and register again");
        // A pod created while the stream restarts still arrives through the new snapshot or the changes after it.
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("r-3", "sim-2", grace: 1), "default");
        await WaitForPodAsync("r-3", p => p.Status?.Phase == "Running");

        var after = (await node.Runtime.ListPodsAsync(default)).Where(p => p.Name.StartsWith("r-", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, after.Count);
        Assert.Equal(4, after.Select(p => p.Uid).Distinct().Count());
        foreach (var (name, id) in before)
        {
            var rt = after.Single(p => p.Name == name);
            Assert.Equal(id, rt.Containers.Single().Id);
            Assert.Equal(0, rt.Containers.Single().RestartCount);
        }

        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "spec.nodeName=sim-2");
        Assert.Equal(4, pods.Items.Count(p => p.Metadata.Name.StartsWith("r-", StringComparison.Ordinal)));
        Assert.All(pods.Items, p => Assert.Equal("Running", p.Status.Phase));
        Assert.Equal(4, node.WorkerCount);
    }

    [Fact]
    public async Task Density_50PodsOn10Nodes_TimeToAllRunning()
    {
        var dense = cluster.StartAgents("dense", 10);
        await Task.WhenAll(dense.Nodes.Select(n => n.Registered)).WaitAsync(Timeout);
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "density" } });

        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod($"d-{i}", $"dense-{i % 10}", grace: 1), "density")));
        var created = sw.Elapsed;
        await AgentCluster.WaitUntilAsync(async () =>
            (await cluster.Client.CoreV1.ListNamespacedPodAsync("density")).Items.Count(p => p.Status?.Phase == "Running") == 50,
            TimeSpan.FromSeconds(60), "50 pods to run");
        output.WriteLine($"50 pods on 10 simulated nodes: created in {created.TotalMilliseconds:F0} ms, all Running after {sw.Elapsed.TotalMilliseconds:F0} ms (200 ms simulated start delay)");
        System.Console.WriteLine($"[agent density] 50 pods / 10 simulated nodes all Running after {sw.Elapsed.TotalMilliseconds:F0} ms");

        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync("density");
        Assert.Equal(50, pods.Items.Select(p => p.Status.PodIP).Distinct().Count());
    }

    [Fact]
    public async Task PodFeed_DoesNotSendANodeItsOwnStatusReports_ButSendsOtherStatusChanges()
    {
        // A bare hub client as node "echo-0": what the feed sends it is exactly what it reads.
        var settings = new KubeWeb.Agent.Connection.AgentConnectionSettings
        {
            Server = new Uri(cluster.Server.Url),
            Token = File.ReadAllText(cluster.Server.NodeTokenPath).Trim(),
            CertificateAuthority = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(
                Path.Combine(Path.GetDirectoryName(cluster.Server.NodeTokenPath)!, "tls", "ca.crt")),
        };
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(settings.Server, KubeWeb.Core.Agents.AgentHubProtocol.Path), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(settings.Token);
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketConfiguration = ws => ws.RemoteCertificateValidationCallback = (_, cert, _, errors) => settings.ValidateServerCertificate(cert, errors);
            })
            .Build();
        await hub.StartAsync();
        var node = new V1Node { ApiVersion = "v1", Kind = "Node", Metadata = new V1ObjectMeta { Name = "echo-0" } };
        await hub.InvokeAsync<KubeWeb.Core.Agents.RegistrationResult>(KubeWeb.Core.Agents.AgentHubProtocol.Register,
            new KubeWeb.Core.Agents.NodeRegistration("echo-0", System.Text.Encoding.UTF8.GetString(KubeWeb.Core.Serialization.KubeJson.SerializeToUtf8(node))));
        var received = System.Threading.Channels.Channel.CreateUnbounded<KubeWeb.Core.Agents.PodChange>();
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            await foreach (var batch in hub.StreamAsync<KubeWeb.Core.Agents.PodAssignmentBatch>(KubeWeb.Core.Agents.AgentHubProtocol.WatchPods, stop.Token))
            {
                foreach (var change in batch.Changes)
                {
                    received.Writer.TryWrite(change);
                }
            }
        });

        var pod = Pod("echo", "echo-0", grace: 0);
        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        async Task<V1Pod> NextAsync()
        {
            using var wait = new CancellationTokenSource(Timeout);
            var change = await received.Reader.ReadAsync(wait.Token);
            return KubeWeb.Core.Serialization.KubeJson.Deserialize<V1Pod>(System.Text.Encoding.UTF8.GetBytes(change.Pod!))!;
        }

        Assert.Equal("echo-0", (await NextAsync()).Spec.NodeName);

        // The node's own report is written but not sent back to it.
        var status = new V1PodStatus { Phase = "Running", PodIP = "10.9.9.9", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] };
        var results = await hub.InvokeAsync<IReadOnlyList<KubeWeb.Core.Agents.PodStatusResult>>(KubeWeb.Core.Agents.AgentHubProtocol.ReportPodStatuses,
            new[] { new KubeWeb.Core.Agents.PodStatusReport("default", "echo", created.Metadata.Uid, System.Text.Encoding.UTF8.GetString(KubeWeb.Core.Serialization.KubeJson.SerializeToUtf8(status)), false) });
        Assert.Equal(KubeWeb.Core.Agents.PodStatusOutcome.Applied, Assert.Single(results).Outcome);
        Assert.Equal("10.9.9.9", (await cluster.Client.CoreV1.ReadNamespacedPodAsync("echo", "default")).Status.PodIP);

        // A status change by anyone else (here a readiness gate's condition) is sent, with the report in it.
        var patch = new V1Patch("""{"status":{"conditions":[{"type":"example.com/gate","status":"True"}]}}""", V1Patch.PatchType.StrategicMergePatch);
        await cluster.Client.CoreV1.PatchNamespacedPodStatusAsync(patch, "echo", "default");
        var next = await NextAsync();
        Assert.Contains(next.Status.Conditions, c => c.Type == "example.com/gate");
        Assert.Equal("10.9.9.9", next.Status.PodIP);

        await stop.CancelAsync();
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("echo", "default", gracePeriodSeconds: 0);
        await cluster.Client.CoreV1.DeleteNodeAsync("echo-0");
    }

    [Fact]
    public async Task Hub_AcceptsOnlyTheNodeToken()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(cluster.Server.Url) };
        async Task<int> NegotiateAsync(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/agent/negotiate?negotiateVersion=1");
            if (token is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }

        Assert.Equal(200, await NegotiateAsync(File.ReadAllText(cluster.Server.NodeTokenPath).Trim()));
        Assert.Equal(401, await NegotiateAsync(cluster.Server.AdminToken));
        Assert.Equal(401, await NegotiateAsync("wrong"));
        Assert.Equal(401, await NegotiateAsync(null));

        // And the node token opens nothing else.
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/v1/pods");
        api.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", File.ReadAllText(cluster.Server.NodeTokenPath).Trim());
        Assert.Equal(401, (int)(await http.SendAsync(api)).StatusCode);
    }

    [Fact]
    public async Task KubeletEvents_FromTheSimulatedRuntime_AreWrittenWithKubeletAsSource()
    {
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("evsim", "sim-0", grace: 1), "default");
        await WaitForPodAsync("evsim", p => p.Status?.Phase == "Running");

        Corev1EventList events = null!;
        await AgentCluster.WaitUntilAsync(async () =>
        {
            events = await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=evsim");
            return events.Items.Any(e => e.Reason == "Started");
        }, Timeout, "a Started event");

        var started = events.Items.Single(e => e.Reason == "Started");
        Assert.Equal(("kubelet", "sim-0", "kubelet", "sim-0"), (started.Source.Component, started.Source.Host, started.ReportingComponent, started.ReportingInstance));
        Assert.Equal(("Pod", "spec.containers{nginx}", "Started container nginx", "Normal", 1), (started.InvolvedObject.Kind, started.InvolvedObject.FieldPath, started.Message, started.Type, started.Count));
        Assert.Contains(events.Items, e => e.Reason == "Created" && e.Message == "Created container: nginx");
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("evsim", "default");
    }

    [Fact]
    public async Task EventReports_ForAnotherNodesPod_AreDropped_AndRepeatsUpdateTheCount()
    {
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("evhub", "sim-1", grace: 1), "default");
        var pod = await WaitForPodAsync("evhub", p => p.Status?.Phase == "Running");
        var writer = cluster.Server.Services.GetRequiredService<PodEventWriter>();
        var now = DateTime.UtcNow;
        var at = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        var report = new KubeWeb.Core.Agents.PodEventReport("default", "evhub", pod.Metadata.Uid, "evhub.18f0000000000001", "Warning", "Unhealthy",
            "Liveness probe failed: boom", "spec.containers{nginx}", 1, at, at);

        Assert.False(await writer.ApplyAsync("sim-2", report, CancellationToken.None));
        Assert.False(await writer.ApplyAsync("sim-1", report with { PodUid = "another-uid" }, CancellationToken.None));
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "reason=Unhealthy,involvedObject.name=evhub")).Items);

        Assert.True(await writer.ApplyAsync("sim-1", report, CancellationToken.None));
        Assert.True(await writer.ApplyAsync("sim-1", report with { Count = 3, LastTimestamp = at.AddSeconds(20) }, CancellationToken.None));
        Assert.True(await writer.ApplyAsync("sim-1", report with { Count = 2, LastTimestamp = at.AddSeconds(10) }, CancellationToken.None));

        var e = await cluster.Client.CoreV1.ReadNamespacedEventAsync("evhub.18f0000000000001", "default");
        Assert.Equal((3, at, at.AddSeconds(20)), (e.Count!.Value, e.FirstTimestamp!.Value, e.LastTimestamp!.Value));
        Assert.Equal((pod.Metadata.Uid, "sim-1"), (e.InvolvedObject.Uid, e.Source.Host));
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("evhub", "default");
    }

    private async Task<V1Pod> WaitForPodAsync(string name, Func<V1Pod, bool> condition)
    {
        V1Pod? pod = null;
        await AgentCluster.WaitUntilAsync(async () =>
        {
            pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync(name, "default");
            return condition(pod);
        }, Timeout, $"pod {name}");
        return pod!;
    }

    [Fact]
    public async Task Agents_ReadClaimsVolumesAndTokens_OnlyForTheirOwnPods()
    {
        var pv = "pv-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.Client.CoreV1.CreatePersistentVolumeAsync(new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = pv },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
                AccessModes = ["ReadWriteOnce"],
                StorageClassName = "",
                HostPath = new V1HostPathVolumeSource { Path = "/tmp/" + pv },
            },
        });
        await cluster.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = pv + "-claim" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                StorageClassName = "",
                VolumeName = pv,
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        }, "default");
        // This cluster runs no controllers: no binder, no default account.
        try
        {
            await cluster.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default" } }, "default");
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
        }

        var mine = Pod(pv + "-mine", "sim-1", grace: 0);
        mine.Spec.Volumes = [new V1Volume { Name = "d", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = pv + "-claim" } }];
        mine = await cluster.Client.CoreV1.CreateNamespacedPodAsync(mine, "default");
        var theirs = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod(pv + "-theirs", "sim-0", grace: 0), "default");
        var agent = cluster.Nodes.Nodes.Single(n => n.NodeName == "sim-1");

        Assert.Equal(pv, (await agent.GetPersistentVolumeClaimAsync(mine, pv + "-claim", CancellationToken.None))?.Spec.VolumeName);
        Assert.Equal("/tmp/" + pv, (await agent.GetPersistentVolumeAsync(mine, pv, CancellationToken.None))?.Spec.HostPath.Path);
        var (token, expires) = await agent.RequestTokenAsync(mine, null, 600, CancellationToken.None);
        Assert.True(expires > DateTimeOffset.UtcNow.AddMinutes(9));
        Assert.Contains($"system:serviceaccount:default:default", await cluster.KubectlAsync("--token", token, "auth", "whoami"), StringComparison.Ordinal);

        // Another node's pod, or a volume the pod does not use: refused.
        await Assert.ThrowsAnyAsync<Exception>(() => agent.RequestTokenAsync(theirs, null, 600, CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => agent.GetPersistentVolumeClaimAsync(theirs, pv + "-claim", CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => agent.GetPersistentVolumeAsync(theirs, pv, CancellationToken.None));
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(mine.Metadata.Name, "default", gracePeriodSeconds: 0);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(theirs.Metadata.Name, "default", gracePeriodSeconds: 0);
    }

    private static V1Pod Pod(string name, string node, long grace) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            NodeName = node,
            TerminationGracePeriodSeconds = grace,
            Containers = [new V1Container { Name = "nginx", Image = "nginx:1.25" }],
        },
    };
}
