using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeWeb.E2E.Lifecycle;

[Trait("Category", "E2E")]
public sealed class NodeLifecycleTests(LifecycleServer fixture) : IClassFixture<LifecycleServer>
{
    private readonly Kubernetes _k = fixture.Client;

    [Fact]
    public async Task NewPods_GetDefaultNotReadyAndUnreachableTolerations()
    {
        var pod = await _k.CoreV1.CreateNamespacedPodAsync(Pod("tolerant-by-default", node: null), "default");
        Assert.Contains(pod.Spec.Tolerations, t => t.Key == "node.kubernetes.io/not-ready" && t.Effect == "NoExecute" && t.TolerationSeconds == 300);
        Assert.Contains(pod.Spec.Tolerations, t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute" && t.TolerationSeconds == 300);
    }

    [Fact]
    public async Task NodeWithStaleLease_GoesUnknown_IsTainted_AndEvictsIntolerantPods()
    {
        const string node = "silent-node";
        await _k.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = node } });
        await _k.CoreV1.PatchNodeStatusAsync(new V1Patch(new
        {
            status = new { conditions = new[] { new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", LastHeartbeatTime = DateTime.UtcNow, LastTransitionTime = DateTime.UtcNow } } },
        }, V1Patch.PatchType.MergePatch), node);
        await _k.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = node },
            Spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = 40, RenewTime = DateTime.UtcNow.AddMinutes(-5) },
        }, "kube-node-lease");

        var intolerant = Pod("intolerant", node);
        intolerant.Spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 0 }];
        await _k.CoreV1.CreateNamespacedPodAsync(intolerant, "default");
        var patient = Pod("patient", node);
        patient.Spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 3600 }];
        await _k.CoreV1.CreateNamespacedPodAsync(patient, "default");

        Assert.True(await LifecycleServer.EventuallyAsync(async () =>
        {
            var n = await _k.CoreV1.ReadNodeAsync(node);
            return n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "Unknown") == true &&
                   n.Spec?.Taints?.Any(t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute") == true;
        }), "the node should go Unknown and be tainted unreachable");

        Assert.True(await LifecycleServer.EventuallyAsync(async () =>
        {
            var p = await TryReadPodAsync("intolerant");
            return p is null || p.Metadata.DeletionTimestamp is not null;
        }), "the pod without a long toleration should be evicted");
        var kept = await TryReadPodAsync("patient");
        Assert.NotNull(kept);
        Assert.Null(kept.Metadata.DeletionTimestamp);
    }

    private static V1Pod Pod(string name, string? node) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };

    private async Task<V1Pod?> TryReadPodAsync(string name)
    {
        try
        {
            return await _k.CoreV1.ReadNamespacedPodAsync(name, "default");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
