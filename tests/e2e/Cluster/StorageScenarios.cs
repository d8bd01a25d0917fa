using System.Text.RegularExpressions;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Cluster;

/// <summary>PersistentVolumes, claims and the local-path class on simulated nodes, as kubectl shows them.</summary>
[Trait("Category", "E2E")]
[Trait("Category", "Cluster")]
public sealed class StorageScenarios(SimulatedCluster cluster, ITestOutputHelper output) : IClassFixture<SimulatedCluster>, IDisposable
{
    private readonly Infrastructure.Kubectl _kubectl = new(cluster.Server.KubeconfigPath, output);

    public void Dispose() => _kubectl.Dispose();

    [Fact]
    public async Task StaticVolume_AndClaim_BindAsKubectlGetShowsIt()
    {
        var ns = await NamespaceAsync("bind");
        var pv = "pv-" + ns;
        await Apply("""
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: @pv@, labels: {disk: ssd}}
            spec:
              capacity: {storage: 1Gi}
              accessModes: [ReadWriteOnce]
              persistentVolumeReclaimPolicy: Retain
              storageClassName: manual
              hostPath: {path: /tmp/@pv@}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data, namespace: @ns@}
            spec:
              accessModes: [ReadWriteOnce]
              storageClassName: manual
              selector: {matchLabels: {disk: ssd}}
              resources: {requests: {storage: 500Mi}}
            """, ns, pv);
        await Ok("wait", "pvc/data", "-n", ns, "--for=jsonpath={.status.phase}=Bound", "--timeout=60s");

        var lines = (await Ok("get", $"pv/{pv}", "pvc/data", "-n", ns)).Split('\n');
        Assert.Contains(lines, l => Regex.IsMatch(l, $@"^persistentvolume/{pv}\s+1Gi\s+RWO\s+Retain\s+Bound\s+{ns}/data\s+manual\s"));
        Assert.Contains(lines, l => Regex.IsMatch(l, $@"^persistentvolumeclaim/data\s+Bound\s+{pv}\s+1Gi\s+RWO\s+manual\s"));

        // Deleting the claim releases the volume; Retain keeps it.
        await Ok("delete", "pvc", "data", "-n", ns);
        await Ok("wait", $"pv/{pv}", "--for=jsonpath={.status.phase}=Released", "--timeout=60s");
        Assert.Matches($@"{pv}\s+1Gi\s+RWO\s+Retain\s+Released\s+{ns}/data", await Ok("get", "pv", pv, "--no-headers"));
        await Ok("delete", "pv", pv);
    }

    [Fact]
    public async Task DefaultClass_ProvisionsOnThePodsNode_AndKeepsLaterPodsThere()
    {
        var ns = await NamespaceAsync("local");
        Assert.Matches(@"local-path \(default\)\s+kubeweb\.io/local-path\s+Delete\s+WaitForFirstConsumer", await Ok("get", "storageclass", "local-path", "--no-headers"));
        await Apply("""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: cache, namespace: @ns@}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
            """, ns);
        Assert.Matches(@"cache\s+Pending\s+local-path", await Ok("get", "pvc", "cache", "-n", ns, "--no-headers"));

        await Apply(PodWithClaim(ns, "first", "cache", node: null));
        await Ok("wait", "pod/first", "-n", ns, "--for=condition=Ready", "--timeout=60s");
        var node = await Ok("get", "pod", "first", "-n", ns, "-o", "jsonpath={.spec.nodeName}");
        var volume = await Ok("get", "pvc", "cache", "-n", ns, "-o", "jsonpath={.spec.volumeName}");
        Assert.StartsWith("pvc-", volume, StringComparison.Ordinal);
        Assert.Equal(node, await Ok("get", "pvc", "cache", "-n", ns, "-o", "jsonpath={.metadata.annotations.volume\\.kubernetes\\.io/selected-node}"));
        Assert.Equal(node, await Ok("get", "pv", volume, "-o", "jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}"));
        Assert.Matches($@"{volume}\s+1Gi\s+RWO\s+Delete\s+Bound\s+{ns}/cache\s+local-path", await Ok("get", "pv", volume, "--no-headers"));

        // Another pod on the claim may only go where the volume is.
        var other = node == "node-0" ? "node-1" : "node-0";
        await Apply(PodWithClaim(ns, "elsewhere", "cache", node: other));
        await Ok("wait", "pod/elsewhere", "-n", ns, "--for=jsonpath={.status.conditions[0].reason}=Unschedulable", "--timeout=60s");
        var message = await Ok("get", "pod", "elsewhere", "-n", ns, "-o", "jsonpath={.status.conditions[0].message}");
        Assert.Contains("node(s) had volume node affinity conflict", message, StringComparison.Ordinal);
        await Apply(PodWithClaim(ns, "same", "cache", node: null));
        await Ok("wait", "pod/same", "-n", ns, "--for=condition=Ready", "--timeout=60s");
        Assert.Equal(node, await Ok("get", "pod", "same", "-n", ns, "-o", "jsonpath={.spec.nodeName}"));

        // Reclaim Delete: once no pod uses the claim, deleting it deletes the volume (a simulated node has no folder to wait for).
        await Ok("delete", "pod", "first", "same", "elsewhere", "-n", ns, "--grace-period=0", "--force");
        await Ok("delete", "pvc", "cache", "-n", ns, "--timeout=60s");
        await Ok("wait", "pv/" + volume, "--for=delete", "--timeout=60s");
    }

    [Fact]
    public async Task UnboundImmediateClaim_LeavesThePodUnschedulable_WithUpstreamsMessage()
    {
        var ns = await NamespaceAsync("immediate");
        await Apply("""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: nothing, namespace: @ns@}
            spec:
              accessModes: [ReadWriteOnce]
              storageClassName: ""
              resources: {requests: {storage: 1Gi}}
            """, ns);
        await Apply(PodWithClaim(ns, "waiting", "nothing", node: null));
        await Ok("wait", "pod/waiting", "-n", ns, "--for=jsonpath={.status.conditions[0].reason}=Unschedulable", "--timeout=60s");
        var message = await Ok("get", "pod", "waiting", "-n", ns, "-o", "jsonpath={.status.conditions[0].message}");
        Assert.Matches(@"^0/\d+ nodes are available: pod has unbound immediate PersistentVolumeClaims\. preemption: 0/\d+ nodes are available: \d+ Preemption is not helpful for scheduling\.$", message);

        // A volume that fits binds the claim, and the pod is scheduled.
        var pv = "pv-" + ns;
        await Apply("""
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: @pv@}
            spec:
              capacity: {storage: 2Gi}
              accessModes: [ReadWriteOnce]
              hostPath: {path: /tmp/@pv@}
            """, ns, pv);
        await Ok("wait", "pod/waiting", "-n", ns, "--for=condition=Ready", "--timeout=60s");
        Assert.Equal(pv, await Ok("get", "pvc", "nothing", "-n", ns, "-o", "jsonpath={.spec.volumeName}"));
    }

    private static string PodWithClaim(string ns, string name, string claim, string? node) => """
        apiVersion: v1
        kind: Pod
        metadata: {name: @name@, namespace: @ns@}
        spec:
          @selector@
          containers:
          - {name: c, image: busybox:1.0}
          volumes:
          - name: data
            persistentVolumeClaim: {claimName: @claim@}
        """.Replace("@name@", name).Replace("@ns@", ns).Replace("@claim@", claim)
        .Replace("@selector@", node is null ? "" : "nodeSelector: {kubernetes.io/hostname: " + node + "}");

    /// <summary>kubectl apply of <paramref name="yaml"/> with <c>@ns@</c> and <c>@pv@</c> filled in.</summary>
    private async Task Apply(string yaml, string ns = "", string pv = "")
    {
        var r = await _kubectl.RunAsync(["apply", "-f", "-"], yaml.Replace("@ns@", ns).Replace("@pv@", pv), TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, $"kubectl apply failed ({r.ExitCode}): {r.Stderr}\n{r.Stdout}");
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
        return r.Stdout.Trim();
    }
}
