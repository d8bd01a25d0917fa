using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Metrics;

/// <summary>The real kubectl 1.32 <c>top</c> (and the official C# client) against metrics.k8s.io on simulated nodes.</summary>
[Trait("Category", "E2E")]
public sealed partial class TopScenarios(MetricsCluster cluster, ITestOutputHelper output) : IClassFixture<MetricsCluster>, IDisposable
{
    private readonly Infrastructure.Kubectl _kubectl = new(cluster.Server.KubeconfigPath, output);

    public void Dispose() => _kubectl.Dispose();

    [Fact]
    public async Task TopNodes_ShowsEverySimulatedNode_WithPercentOfAllocatable()
    {
        var top = await EventuallyOkAsync(r => r.Lines.Count(l => l.StartsWith("top-", StringComparison.Ordinal)) == 2, "top", "nodes");
        Assert.Matches(@"NAME\s+CPU\(cores\)\s+CPU(%)?\s*(\(%\))?\s+MEMORY\(bytes\)\s+MEMORY(%)?", top.Lines[0]);
        foreach (var line in top.Lines.Skip(1))
        {
            // Simulated nodes: 32 cores, 256Gi; a base of 250m and 1.5Gi plus pods.
            Assert.Matches(@"^top-[01]\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%$", line);
            var cpu = int.Parse(MilliRegex().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(cpu, 250, 32_000);
        }

        var selected = (await Ok("top", "nodes", "-l", "tier=metrics", "--no-headers")).Lines;
        Assert.Equal(2, selected.Count);
        (await _kubectl.RunAsync("top", "node", "no-such-node")).Failed("nodemetrics.metrics.k8s.io \"no-such-node\" not found");
    }

    [Fact]
    public async Task TopPods_ScaledFromRequests_WithSelectorsContainersAndAllNamespaces()
    {
        var ns = await NamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("alpha", "a", "200m", "128Mi", "main", "side"), ns);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("beta", "b", "1", "1Gi", "main"), ns);

        var top = await EventuallyOkAsync(r => r.Stdout.Contains("alpha", StringComparison.Ordinal) && r.Stdout.Contains("beta", StringComparison.Ordinal), "top", "pods", "-n", ns);
        Assert.Matches(@"NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)", top.Lines[0]);
        // Two containers of 200m each at 10-60% (±10%): 40m-264m in total; memory 2×128Mi at 30-80% (±5%).
        AssertUsage(top, "alpha", 36, 270, 70, 220);
        AssertUsage(top, "beta", 90, 670, 280, 880);

        var onlyA = await Ok("top", "pods", "-n", ns, "-l", "app=a", "--no-headers");
        Assert.Single(onlyA.Lines);
        Assert.StartsWith("alpha", onlyA.Lines[0], StringComparison.Ordinal);

        var containers = await Ok("top", "pods", "-n", ns, "--containers", "--no-headers");
        Assert.Equal(3, containers.Lines.Count);
        Assert.Contains(containers.Lines, l => Regex.IsMatch(l, @"^alpha\s+side\s+\d+m\s+\d+Mi$"));

        var all = await Ok("top", "pods", "-A", "--no-headers");
        Assert.Contains(all.Lines, l => Regex.IsMatch(l, $@"^{ns}\s+beta\s+\d+m\s+\d+Mi$"));

        // kubectl get prints metrics-server's columns from the Table.
        var get = await Ok("get", "pods.metrics.k8s.io", "-n", ns);
        Assert.Matches(@"^NAME\s+CPU\s+MEMORY\s+WINDOW$", get.Lines[0]);
        Assert.Contains(get.Lines, l => Regex.IsMatch(l, @"^alpha\s+\d+\S*\s+\d+\S*\s+\d+(\.\d+)?s$"));

        var one = await Ok("top", "pod", "beta", "-n", ns, "--no-headers");
        Assert.Single(one.Lines);
        (await _kubectl.RunAsync("top", "pod", "gamma", "-n", ns)).Failed($"podmetrics.metrics.k8s.io \"{ns}/gamma\" not found");

        // The official client reads the same objects.
        var list = await cluster.Client.GetKubernetesPodsMetricsByNamespaceAsync(ns);
        var alpha = Assert.Single(list.Items, p => p.Metadata.Name == "alpha");
        Assert.Equal(["main", "side"], alpha.Containers.Select(c => c.Name).Order());
        Assert.All(alpha.Containers, c => Assert.True(c.Usage["cpu"].ToDecimal() > 0));
        Assert.Equal("a", alpha.Metadata.Labels["app"]);
        var nodes = await cluster.Client.GetKubernetesNodesMetricsAsync();
        Assert.Equal(2, nodes.Items.Count(n => n.Metadata.Name.StartsWith("top-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Discovery_ListsMetricsGroup_AndFieldSelectors_AndHistory()
    {
        var resources = await Ok("api-resources", "--api-group=metrics.k8s.io", "--no-headers");
        Assert.Contains(resources.Lines, l => Regex.IsMatch(l, @"^nodes\s+metrics\.k8s\.io/v1beta1\s+false\s+NodeMetrics$"));
        Assert.Contains(resources.Lines, l => Regex.IsMatch(l, @"^pods\s+metrics\.k8s\.io/v1beta1\s+true\s+PodMetrics$"));

        var list = JsonNode.Parse((await Ok("get", "--raw", "/apis/metrics.k8s.io/v1beta1")).Stdout)!;
        Assert.Equal("APIResourceList", (string?)list["kind"]);
        Assert.Equal(2, list["resources"]!.AsArray().Count);
        var group = JsonNode.Parse((await Ok("get", "--raw", "/apis/metrics.k8s.io")).Stdout)!;
        Assert.Equal("metrics.k8s.io/v1beta1", (string?)group["preferredVersion"]!["groupVersion"]);

        var ns = await NamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod("hist", "h", "100m", "64Mi", "main"), ns);
        await EventuallyOkAsync(r => r.Stdout.Contains("hist", StringComparison.Ordinal), "top", "pods", "-n", ns);

        var byName = JsonNode.Parse((await Ok("get", "--raw", $"/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods?fieldSelector=metadata.name%3Dhist")).Stdout)!;
        Assert.Equal("PodMetricsList", (string?)byName["kind"]);
        Assert.Single(byName["items"]!.AsArray());
        (await _kubectl.RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=spec.nodeName%3Dx")).Failed("field label not supported: spec.nodeName");
        (await _kubectl.RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods?watch=true")).Failed("MethodNotAllowed");

        // The console's history: samples accumulate at the node's interval (1 s here).
        JsonNode history = null!;
        Assert.True(await EventuallyAsync(async () =>
        {
            history = JsonNode.Parse((await Ok("get", "--raw", $"/apis/metrics.kubeweb.io/v1alpha1/namespaces/{ns}/pods/hist")).Stdout)!;
            return history["samples"]!.AsArray().Count >= 3;
        }), "the pod's history should grow");
        Assert.Equal("PodMetricsHistory", (string?)history["kind"]);
        var sample = history["samples"]![0]!;
        Assert.NotNull((string?)sample["timestamp"]);
        Assert.Equal("main", (string?)sample["containers"]![0]!["name"]);
        var nodes = JsonNode.Parse((await Ok("get", "--raw", "/apis/metrics.kubeweb.io/v1alpha1/nodes?labelSelector=tier%3Dmetrics&sinceSeconds=60")).Stdout)!;
        Assert.Equal(2, nodes["items"]!.AsArray().Count);
        Assert.All(nodes["items"]!.AsArray(), n => Assert.NotEmpty(n!["samples"]!.AsArray()));
    }

    private static void AssertUsage(KubectlResult top, string pod, int minMilli, int maxMilli, int minMi, int maxMi)
    {
        var line = top.Lines.Single(l => l.StartsWith(pod + " ", StringComparison.Ordinal));
        var m = Regex.Match(line, @"^\S+\s+(\d+)m\s+(\d+)Mi$");
        Assert.True(m.Success, line);
        Assert.InRange(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), minMilli, maxMilli);
        Assert.InRange(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), minMi, maxMi);
    }

    private static V1Pod Pod(string name, string app, string cpu, string memory, params string[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec
        {
            NodeSelector = new Dictionary<string, string> { ["tier"] = "metrics" },
            Containers = [.. containers.Select(c => new V1Container
            {
                Name = c,
                Image = "busybox:1.0",
                Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) } },
            })],
        },
    };

    private async Task<string> NamespaceAsync()
    {
        var name = $"top-{Guid.NewGuid().ToString("n")[..6]}";
        await Ok("create", "namespace", name);
        return name;
    }

    private async Task<KubectlResult> Ok(params string[] args)
    {
        var r = await _kubectl.RunAsync(args);
        return r.Succeeded();
    }

    /// <summary>Runs kubectl until it succeeds and <paramref name="done"/> holds (metrics appear one interval after a pod runs).</summary>
    private async Task<KubectlResult> EventuallyOkAsync(Func<KubectlResult, bool> done, params string[] args)
    {
        KubectlResult? last = null;
        Assert.True(await EventuallyAsync(async () =>
        {
            last = await _kubectl.RunAsync(args);
            return last.ExitCode == 0 && done(last);
        }), $"kubectl {string.Join(' ', args)} never showed what was expected\n{last}");
        return last!;
    }

    private static Task<bool> EventuallyAsync(Func<Task<bool>> condition) =>
        Eventually.HoldsAsync(condition, TimeSpan.FromSeconds(45), TimeSpan.FromMilliseconds(500));

    [GeneratedRegex(@"^\S+\s+(\d+)m")]
    private static partial Regex MilliRegex();
}
