using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Cluster;

/// <summary>The control loop end to end on simulated nodes, driven by the real kubectl 1.32.</summary>
[Trait("Category", "E2E")]
[Trait("Category", "Cluster")]
public sealed class ClusterScenarios(SimulatedCluster cluster, ITestOutputHelper output) : IClassFixture<SimulatedCluster>, IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);
    private readonly Infrastructure.Kubectl _kubectl = new(cluster.Server.KubeconfigPath, output);

    public void Dispose() => _kubectl.Dispose();

    [Fact]
    public async Task Deployment_RunsOnNodes_RollsOut_AndRollsBack()
    {
        var ns = await NamespaceAsync("rollout");
        await Ok("create", "deployment", "web", "--image=busybox:1.0", "--replicas=3", "-n", ns);
        await Ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s");

        var wide = await Ok("get", "pods", "-o", "wide", "-n", ns);
        Assert.Equal(3, wide.Split('\n').Count(l => l.StartsWith("web-", StringComparison.Ordinal) && l.Contains("Running", StringComparison.Ordinal) && l.Contains("node-", StringComparison.Ordinal)));

        await Ok("set", "image", "deployment/web", "busybox=busybox:2.0", "-n", ns);
        var status = await Ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s");
        Assert.Contains("successfully rolled out", status, StringComparison.Ordinal);
        var history = await Ok("rollout", "history", "deployment/web", "-n", ns);
        Assert.Contains("1 ", history, StringComparison.Ordinal);
        Assert.Contains("2 ", history, StringComparison.Ordinal);

        await Ok("rollout", "undo", "deployment/web", "-n", ns);
        await Ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s");
        var image = await Ok("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}");
        Assert.Equal("busybox:1.0 3", image.Trim());

        await Ok("scale", "deployment", "web", "--replicas=5", "-n", ns);
        await Ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s");
        Assert.Equal(5, (await RunningPodsAsync(ns, "app=web")).Count);
    }

    [Fact]
    public async Task MissingServiceAccount_FailsTheRolloutWithTheApisReason_UntilTheAccountExists()
    {
        var ns = await NamespaceAsync("sa");
        await Ok("create", "deployment", "bot", "--image=busybox:1.0", "--replicas=2", "-n", ns);
        await Ok("rollout", "status", "deployment/bot", "-n", ns, "--timeout=60s");
        await Ok("set", "serviceaccount", "deployment/bot", "robot", "-n", ns);

        // The new ReplicaSet's creations are refused; its event and condition carry the API's message.
        var expected = $"is forbidden: error looking up service account {ns}/robot: serviceaccount \"robot\" not found";
        string described = "";
        Assert.True(await EventuallyAsync(async () =>
        {
            described = await Ok("describe", "rs", "-n", ns);
            return described.Contains("FailedCreate", StringComparison.Ordinal) && described.Contains(expected, StringComparison.Ordinal);
        }), $"describe rs should show FailedCreate with the API's reason:\n{described}");
        var condition = await Ok("get", "rs", "-n", ns, "-o", "jsonpath={.items[*].status.conditions[?(@.type==\"ReplicaFailure\")].message}");
        Assert.Contains(expected, condition, StringComparison.Ordinal);

        await Ok("create", "serviceaccount", "robot", "-n", ns);
        await Ok("rollout", "status", "deployment/bot", "-n", ns, "--timeout=90s");
        Assert.All(await RunningPodsAsync(ns, "app=bot"), p => Assert.Equal("robot", p.Spec.ServiceAccountName));
    }

    [Fact]
    public async Task DeletingDeployment_RemovesReplicaSetsAndPods()
    {
        var ns = await NamespaceAsync("gc");
        await Ok("create", "deployment", "doomed", "--image=busybox:1.0", "--replicas=2", "-n", ns);
        await Ok("rollout", "status", "deployment/doomed", "-n", ns, "--timeout=60s");
        await Ok("delete", "deployment", "doomed", "-n", ns);
        Assert.True(await EventuallyAsync(async () =>
            (await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.Count == 0 &&
            (await cluster.Client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count == 0), "replica sets and pods should be garbage collected");
    }

    [Fact]
    public async Task ImpossibleNodeSelector_StaysPending_WithUpstreamEvent()
    {
        var ns = await NamespaceAsync("pending");
        var pod = Pod("nowhere");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        var last = "";
        Assert.True(await EventuallyAsync(async () =>
        {
            var describe = await _kubectl.RunAsync("describe", "pod", "nowhere", "-n", ns);
            last = describe.Output;
            return describe.Stdout.Contains("FailedScheduling", StringComparison.Ordinal) &&
                   System.Text.RegularExpressions.Regex.IsMatch(describe.Stdout, @"0/\d+ nodes are available") &&
                   describe.Stdout.Contains("node(s) didn't match Pod's node affinity/selector", StringComparison.Ordinal);
        }, Long), "the pod should carry the scheduler's FailedScheduling event:\n" + last);
        var current = await cluster.Client.CoreV1.ReadNamespacedPodAsync("nowhere", ns);
        Assert.Equal("Pending", current.Status.Phase);
        Assert.Contains(current.Status.Conditions, c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable");
    }

    [Fact]
    public async Task TaintedNode_TakesOnlyTolerantPods()
    {
        var ns = await NamespaceAsync("taint");
        var intolerant = Pod("plain");
        intolerant.Spec.NodeSelector = new Dictionary<string, string> { ["pool"] = "gpu" };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(intolerant, ns);
        var tolerant = Pod("gpu-job");
        tolerant.Spec.NodeSelector = new Dictionary<string, string> { ["pool"] = "gpu" };
        tolerant.Spec.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "gpu", Effect = "NoSchedule" }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(tolerant, ns);

        Assert.True(await EventuallyAsync(async () => (await cluster.Client.CoreV1.ReadNamespacedPodAsync("gpu-job", ns)).Status?.Phase == "Running"));
        var placed = await cluster.Client.CoreV1.ReadNamespacedPodAsync("gpu-job", ns);
        Assert.Equal("tainted-0", placed.Spec.NodeName);
        var blocked = await cluster.Client.CoreV1.ReadNamespacedPodAsync("plain", ns);
        Assert.True(string.IsNullOrEmpty(blocked.Spec.NodeName));
    }

    [Fact]
    public async Task CordonAndDrain_MovePodsAway_UncordonAllowsAgain()
    {
        var ns = await NamespaceAsync("drain");
        await Ok("create", "deployment", "movers", "--image=busybox:1.0", "--replicas=4", "-n", ns);
        await Ok("rollout", "status", "deployment/movers", "-n", ns, "--timeout=60s");
        var victim = (await RunningPodsAsync(ns, "app=movers")).First().Spec.NodeName;

        await Ok("drain", victim, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=60s");
        var node = await cluster.Client.CoreV1.ReadNodeAsync(victim);
        Assert.True(node.Spec.Unschedulable);
        Assert.True(await EventuallyAsync(async () =>
        {
            var pods = await RunningPodsAsync(ns, "app=movers");
            return pods.Count == 4 && pods.All(p => p.Spec.NodeName != victim);
        }), "the deployment's pods should all run elsewhere");

        // The node lifecycle controller marks a cordoned node with the unschedulable taint, and takes it off again.
        Assert.True(await EventuallyAsync(async () => (await cluster.Client.CoreV1.ReadNodeAsync(victim)).Spec.Taints?
            .Any(t => t.Key == "node.kubernetes.io/unschedulable" && t.Effect == "NoSchedule") == true), "a cordoned node should carry the unschedulable taint");
        Assert.Matches(@"Taints:\s+node\.kubernetes\.io/unschedulable:NoSchedule", await Ok("describe", "node", victim));

        await Ok("uncordon", victim);
        Assert.NotEqual(true, (await cluster.Client.CoreV1.ReadNodeAsync(victim)).Spec.Unschedulable);
        Assert.True(await EventuallyAsync(async () => (await cluster.Client.CoreV1.ReadNodeAsync(victim)).Spec.Taints?
            .Any(t => t.Key == "node.kubernetes.io/unschedulable") != true), "an uncordoned node should lose the unschedulable taint");
    }

    [Fact]
    public async Task ADisruptionBudget_HoldsADrain_UntilItAllowsTheEvictions()
    {
        var ns = await NamespaceAsync("pdb");
        var nodes = await cluster.StartAgentsAsync("guard", 2);
        await Ok("create", "deployment", "guarded", "--image=busybox:1.0", "--replicas=2", "-n", ns);
        await Ok("patch", "deployment", "guarded", "-n", ns, "--type", "merge", "-p", """
            {"spec":{"template":{"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
              {"matchExpressions":[{"key":"kubernetes.io/hostname","operator":"In","values":["guard-0","guard-1"]}]}]}}}}}}}
            """);
        await Ok("rollout", "status", "deployment/guarded", "-n", ns, "--timeout=60s");
        var victim = (await RunningPodsAsync(ns, "app=guarded")).First().Spec.NodeName;

        // `kubectl create pdb` sends a protobuf body (kubectl 1.32).
        await Ok("create", "pdb", "guarded", "--selector=app=guarded", "--min-available=2", "-n", ns);
        Assert.True(await EventuallyAsync(async () => Regex.IsMatch(await Ok("get", "pdb", "guarded", "-n", ns), @"guarded\s+2\s+N/A\s+0\s+")),
            "kubectl get pdb should show MIN AVAILABLE 2, MAX UNAVAILABLE N/A, ALLOWED DISRUPTIONS 0");

        var held = await _kubectl.RunAsync(["drain", victim, "--ignore-daemonsets", "--timeout=6s"], stdin: null, timeout: TimeSpan.FromSeconds(60));
        output.WriteLine(held.Stdout + held.Stderr);
        Assert.NotEqual(0, held.ExitCode);
        Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget.", held.Stdout + held.Stderr, StringComparison.Ordinal);
        var untouched = await RunningPodsAsync(ns, "app=guarded");
        Assert.Equal(2, untouched.Count);
        Assert.Contains(untouched, p => p.Spec.NodeName == victim);

        // One disruption at a time: the drain evicts, waits for the replacement to be ready on the other node, evicts again.
        await Ok("patch", "pdb", "guarded", "-n", ns, "--type", "merge", "-p", """{"spec":{"minAvailable":1}}""");
        await Ok("drain", victim, "--ignore-daemonsets", "--timeout=90s");
        Assert.True(await EventuallyAsync(async () =>
        {
            var pods = await RunningPodsAsync(ns, "app=guarded");
            return pods.Count == 2 && pods.All(p => p.Spec.NodeName != victim);
        }, Long), "both pods should run on the other node");
        var describe = await Ok("describe", "pdb", "guarded", "-n", ns);
        output.WriteLine(describe);
        Assert.Matches(@"Min available:\s+1", describe);
        await Ok("delete", "namespace", ns, "--wait=false");
        await cluster.StopAgentsAsync(nodes);
    }

    [Fact]
    public async Task AHigherPriorityPod_PreemptsALowerOne_OnAFullNode()
    {
        var ns = await NamespaceAsync("prio");
        var nodes = await cluster.StartAgentsAsync("prio", 1);
        const string pin = """{"kubernetes.io/hostname":"prio-0"}""";

        // Four pods of 8 CPUs fill the node's 32.
        await Ok("create", "deployment", "filler", "--image=busybox:1.0", "--replicas=4", "-n", ns);
        await Ok("patch", "deployment", "filler", "-n", ns, "--type", "strategic", "-p",
            """{"spec":{"template":{"spec":{"nodeSelector":""" + pin + ""","containers":[{"name":"busybox","resources":{"requests":{"cpu":"8"}}}]}}}}""");
        await Ok("rollout", "status", "deployment/filler", "-n", ns, "--timeout=60s");

        // kubectl create priorityclass sends protobuf; the system classes are there from the start.
        await Ok("create", "priorityclass", $"urgent-{ns}", "--value=1000", "--description=preempts fillers");
        var classes = await Ok("get", "priorityclass");
        Assert.Matches(@"system-cluster-critical\s+2000000000\s+false", classes);
        Assert.Matches($@"urgent-{ns}\s+1000\s+false\s+\S+\s+PreemptLowerPriority", classes);

        var refused = await _kubectl.RunAsync(["run", "nope", "--image=busybox:1.0", "-n", ns, "--overrides", """{"spec":{"priorityClassName":"no-such-class"}}"""], stdin: null);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("no PriorityClass with name no-such-class was found", refused.Stderr, StringComparison.Ordinal);

        var overrides = System.Text.Json.JsonSerializer.Serialize(new
        {
            spec = new
            {
                priorityClassName = $"urgent-{ns}",
                nodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "prio-0" },
                containers = new[] { new { name = "urgent", image = "busybox:1.0", resources = new { requests = new { cpu = "8" } } } },
            },
        });
        await Ok("run", "urgent", "--image=busybox:1.0", "-n", ns, "--overrides", overrides);
        Assert.True(await EventuallyAsync(async () =>
        {
            var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync("urgent", ns);
            return pod.Status?.Phase == "Running" && pod.Spec.NodeName == "prio-0";
        }, Long), "the urgent pod should run on the full node");
        Assert.Equal("1000", (await Ok("get", "pod", "urgent", "-n", ns, "-o", "jsonpath={.spec.priority}")).Trim());

        // One filler went (with upstream's event); its replacement waits, with preemption's verdict.
        var preempted = await Ok("get", "events", "-n", ns, "--field-selector", "reason=Preempted");
        output.WriteLine(preempted);
        Assert.Matches(@"Preempted by pod [0-9a-f-]{36} on node prio-0", preempted);
        Assert.True(await EventuallyAsync(async () =>
        {
            var pods = (await cluster.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=filler")).Items;
            return pods.Count(p => p.Status?.Phase == "Running" && p.Metadata.DeletionTimestamp is null) == 3 &&
                   pods.Any(p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False" &&
                       c.Message.Contains("No preemption victims found for incoming pod", StringComparison.Ordinal)) == true);
        }, Long), "three fillers should run and the fourth wait, unable to preempt");

        await Ok("delete", "namespace", ns, "--wait=false");
        await Ok("delete", "priorityclass", $"urgent-{ns}");
        await cluster.StopAgentsAsync(nodes);
    }

    [Fact]
    public async Task LostNode_GoesUnknown_AndItsPodsMove()
    {
        var ns = await NamespaceAsync("lost");
        var lost = await cluster.StartAgentsAsync("lost", 1);
        await Ok("create", "deployment", "survivor", "--image=busybox:1.0", "--replicas=1", "-n", ns);
        await Ok("patch", "deployment", "survivor", "-n", ns, "--type", "merge", "-p",
            """{"spec":{"template":{"spec":{"nodeSelector":{"kubernetes.io/hostname":"lost-0"}}}}}""");
        await Ok("rollout", "status", "deployment/survivor", "-n", ns, "--timeout=60s");
        Assert.Equal("lost-0", (await RunningPodsAsync(ns, "app=survivor")).Single().Spec.NodeName);

        // The node goes away; let its replacement land anywhere.
        await cluster.StopAgentsAsync(lost);
        await Ok("patch", "deployment", "survivor", "-n", ns, "--type", "json", "-p", """[{"op":"remove","path":"/spec/template/spec/nodeSelector"}]""");
        Assert.True(await EventuallyAsync(async () =>
        {
            var n = await cluster.Client.CoreV1.ReadNodeAsync("lost-0");
            return n.Status.Conditions.Any(c => c.Type == "Ready" && c.Status == "Unknown") &&
                   n.Spec.Taints?.Any(t => t.Key == "node.kubernetes.io/unreachable") == true;
        }, Long), "the silent node should go Unknown and be tainted");
        Assert.True(await EventuallyAsync(async () =>
        {
            var pods = await RunningPodsAsync(ns, "app=survivor");
            return pods.Count == 1 && pods[0].Spec.NodeName != "lost-0";
        }, Long), "the deployment's pod should run on another node");

        // What was bound to the silent node stays (Terminating, or never started): no kubelet is left
        // to confirm anything. Removing the node for good lets the pod GC mark them Failed and delete them.
        var stranded = (await cluster.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=survivor")).Items.Where(p => p.Spec.NodeName == "lost-0").ToList();
        output.WriteLine(string.Join("\n", stranded.Select(p => $"{p.Metadata.Name} {p.Status?.Phase} deleting={p.Metadata.DeletionTimestamp is not null}")));
        Assert.NotEmpty(stranded);
        await Ok("delete", "node", "lost-0");
        Assert.True(await EventuallyAsync(async () =>
            (await cluster.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=survivor")).Items.All(p => p.Spec.NodeName != "lost-0"), Long),
            "the pod of the deleted node should be garbage collected");
        var wide = await Ok("get", "pods", "-n", ns, "-o", "wide");
        output.WriteLine(wide);
        Assert.DoesNotContain("lost-0", wide, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingNamespace_EmptiesIt()
    {
        var ns = await NamespaceAsync("bye");
        await Ok("create", "deployment", "x", "--image=busybox:1.0", "--replicas=2", "-n", ns);
        await Ok("create", "configmap", "y", "--from-literal=a=b", "-n", ns);
        await Ok("rollout", "status", "deployment/x", "-n", ns, "--timeout=60s");
        await Ok("delete", "namespace", ns, "--timeout=60s");
        var get = await _kubectl.RunAsync("get", "namespace", ns);
        Assert.NotEqual(0, get.ExitCode);
        Assert.Contains("NotFound", get.Stderr, StringComparison.Ordinal);
    }

    private async Task<string> NamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("n")[..6]}";
        await Ok("create", "namespace", name);
        return name;
    }

    private async Task<string> Ok(params string[] args)
    {
        var r = await _kubectl.RunAsync(args, stdin: null, timeout: TimeSpan.FromSeconds(90));
        Assert.True(r.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed ({r.ExitCode}): {r.Stderr}\n{r.Stdout}");
        return r.Stdout;
    }

    private async Task<List<V1Pod>> RunningPodsAsync(string ns, string selector) =>
        [.. (await cluster.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector)).Items
            .Where(p => p.Status?.Phase == "Running" && p.Metadata.DeletionTimestamp is null)];

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.0" }] },
    };

    private static Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null) => Eventually.HoldsAsync(condition, timeout);
}
