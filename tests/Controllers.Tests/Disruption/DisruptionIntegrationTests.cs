using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeWeb.Controllers.Tests.Apps;
using static KubeWeb.Controllers.Tests.Polling;

namespace KubeWeb.Controllers.Tests.Disruption;

/// <summary>PodDisruptionBudgets in the real server: the disruption controller's status and the eviction subresource. No kubelets: pods are made ready by hand.</summary>
[Trait("Category", "Integration")]
public sealed class DisruptionIntegrationTests(AppsServerFixture fixture) : IClassFixture<AppsServerFixture>
{
    private IKubernetes Client => fixture.Client;

    [Fact]
    public async Task EvictionsTakeTheAllowedDisruptions_Then429_WhileNotReadyPodsGoFree()
    {
        var ns = await NamespaceAsync();
        foreach (var name in new[] { "web-0", "web-1", "web-2" })
        {
            await RunningPodAsync(ns, name, ready: true);
        }

        var budget = await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("web", minAvailable: "2"), ns);
        Assert.Equal(1, budget.Metadata.Generation);
        var status = (await WaitForAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("web", ns), b => b.Status?.ObservedGeneration == 1)).Status;
        Assert.Equal((3, 2, 3, 1), (status.CurrentHealthy, status.DesiredHealthy, status.ExpectedPods, status.DisruptionsAllowed));
        var allowed = status.Conditions.Single(c => c.Type == "DisruptionAllowed");
        Assert.Equal(("True", "SufficientPods"), (allowed.Status, allowed.Reason));

        // A dry run changes nothing.
        Assert.Equal(201, await EvictAsync(ns, "web-0", dryRun: true));
        Assert.Null((await Client.CoreV1.ReadNamespacedPodAsync("web-0", ns)).Metadata.DeletionTimestamp);
        Assert.Equal(1, (await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("web", ns)).Status.DisruptionsAllowed);

        Assert.Equal(201, await EvictAsync(ns, "web-0"));
        var evicted = await Client.CoreV1.ReadNamespacedPodAsync("web-0", ns);
        Assert.NotNull(evicted.Metadata.DeletionTimestamp);
        var target = evicted.Status.Conditions.Single(c => c.Type == "DisruptionTarget");
        Assert.Equal(("True", "EvictionByEvictionAPI", "Eviction API: evicting"), (target.Status, target.Reason, target.Message));
        Assert.Equal(0, (await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("web", ns)).Status.DisruptionsAllowed);

        // No disruption left: 429 with the budget's numbers (once the controller has seen web-0 go), as kubectl drain reports and retries.
        await WaitForAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("web", ns), b => b.Status?.CurrentHealthy == 2);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction("web-1"), "web-1", ns));
        Assert.Equal(429, (int)refused.Response.StatusCode);
        var problem = JsonSerializer.Deserialize<V1Status>(refused.Response.Content, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", problem.Message);
        Assert.Equal("TooManyRequests", problem.Reason);
        var cause = Assert.Single(problem.Details.Causes);
        Assert.Equal(("DisruptionBudget", "The disruption budget web needs 2 healthy pods and has 2 currently"), (cause.Reason, cause.Message));
        Assert.Null((await Client.CoreV1.ReadNamespacedPodAsync("web-1", ns)).Metadata.DeletionTimestamp);

        // A pod that is not ready takes no disruption while the budget is met.
        await RunningPodAsync(ns, "web-3", ready: false);
        Assert.Equal(201, await EvictAsync(ns, "web-3"));
        Assert.NotNull((await Client.CoreV1.ReadNamespacedPodAsync("web-3", ns)).Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task MaxUnavailable_AsAPercentage_CountsTheDeploymentsReplicas()
    {
        var ns = await NamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "api" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 4,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "api" } },
                    Spec = new V1PodSpec { NodeName = ns + "-node", Containers = [new V1Container { Name = "c", Image = "busybox" }] },
                },
            },
        }, ns);
        await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("api", maxUnavailable: "50%"), ns);

        // 4 expected, at most half (2) unavailable: 2 must be healthy; none is ready yet.
        var status = (await WaitForAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("api", ns),
            b => b.Status?.ExpectedPods == 4)).Status;
        Assert.Equal((2, 0), (status.DesiredHealthy, status.DisruptionsAllowed));

        var pods = await WaitForAsync(() => Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=api"), l => l.Items.Count == 4);
        foreach (var pod in pods.Items.Take(3))
        {
            await SetReadyAsync(ns, pod.Metadata.Name, ready: true);
        }

        await WaitForAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("api", ns),
            b => b.Status?.CurrentHealthy == 3 && b.Status.DisruptionsAllowed == 1);

        // Scaling the deployment moves the denominator: 6 expected, 3 must be healthy.
        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":6}}""", V1Patch.PatchType.MergePatch), "api", ns);
        var scaled = (await WaitForAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("api", ns), b => b.Status?.ExpectedPods == 6)).Status;
        Assert.Equal(3, scaled.DesiredHealthy);
        Assert.Equal(0, scaled.DisruptionsAllowed);
    }

    [Fact]
    public async Task APodUnderTwoBudgets_CannotBeEvicted_AndInvalidBudgetsAreRefused()
    {
        var ns = await NamespaceAsync();
        await RunningPodAsync(ns, "web-0", ready: true);
        await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("one", minAvailable: "0"), ns);
        await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("two", minAvailable: "0"), ns);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction("web-0"), "web-0", ns));
        Assert.Equal(500, (int)e.Response.StatusCode);
        Assert.Contains("more than one PodDisruptionBudget", e.Response.Content, StringComparison.Ordinal);

        var both = Budget("both", minAvailable: "1");
        both.Spec.MaxUnavailable = "1";
        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() => Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(both, ns));
        Assert.Equal(422, (int)invalid.Response.StatusCode);
        Assert.Contains("minAvailable and maxUnavailable cannot be both set", invalid.Response.Content, StringComparison.Ordinal);
        var tooMuch = await Assert.ThrowsAsync<HttpOperationException>(() => Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("much", minAvailable: "150%"), ns));
        Assert.Contains("must not be greater than 100%", tooMuch.Response.Content, StringComparison.Ordinal);
    }

    private async Task<int> EvictAsync(string ns, string name, bool dryRun = false)
    {
        var eviction = Eviction(name);
        if (dryRun)
        {
            eviction.DeleteOptions = new V1DeleteOptions { DryRun = ["All"] };
        }

        using var response = await Client.CoreV1.CreateNamespacedPodEvictionWithHttpMessagesAsync(eviction, name, ns);
        return (int)response.Response.StatusCode;
    }

    private static V1Eviction Eviction(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };

    private async Task RunningPodAsync(string ns, string name, bool ready)
    {
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { NodeName = ns + "-node", Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        }, ns);
        await SetReadyAsync(ns, name, ready);
    }

    private async Task SetReadyAsync(string ns, string name, bool ready)
    {
        var patch = new { status = new { phase = "Running", conditions = new[] { new { type = "Ready", status = ready ? "True" : "False" } } } };
        await Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), name, ns);
    }

    private static V1PodDisruptionBudget Budget(string app, string? minAvailable = null, string? maxUnavailable = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = app },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable,
            MaxUnavailable = maxUnavailable,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app == "one" || app == "two" ? "web" : app } },
        },
    };

    private async Task<string> NamespaceAsync()
    {
        var name = await ApiObjects.NamespaceAsync(Client, "pdb-");
        // The pods' node, so the pod GC sees nothing orphaned.
        await Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name + "-node" } });
        return name;
    }
}
