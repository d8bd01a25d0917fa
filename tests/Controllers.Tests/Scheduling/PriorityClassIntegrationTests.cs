using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeWeb.Controllers.Tests.Apps;

namespace KubeWeb.Controllers.Tests.Scheduling;

/// <summary>PriorityClasses and pod priority admission in the real server.</summary>
[Trait("Category", "Integration")]
public sealed class PriorityClassIntegrationTests(AppsServerFixture fixture) : IClassFixture<AppsServerFixture>
{
    private IKubernetes Client => fixture.Client;

    [Fact]
    public async Task SystemClassesExist_AndUserClassesFollowUpstreamRules()
    {
        var critical = await Client.SchedulingV1.ReadPriorityClassAsync("system-node-critical");
        Assert.Equal(2_000_001_000, critical.Value);
        Assert.Equal("PreemptLowerPriority", critical.PreemptionPolicy);

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var tooHigh = await Refused(() => Client.SchedulingV1.CreatePriorityClassAsync(Class("huge-" + suffix, 1_000_000_001)));
        Assert.Equal(422, tooHigh.Code);
        Assert.Contains("maximum allowed value of a user defined priority is 1000000000", tooHigh.Body, StringComparison.Ordinal);
        var reserved = await Refused(() => Client.SchedulingV1.CreatePriorityClassAsync(Class("system-" + suffix, 10)));
        Assert.Contains("priority class names with 'system-' prefix are reserved for system use only", reserved.Body, StringComparison.Ordinal);

        var created = await Client.SchedulingV1.CreatePriorityClassAsync(Class("batch-" + suffix, 10));
        Assert.Equal("PreemptLowerPriority", created.PreemptionPolicy);
        created.Value = 20;
        var changed = await Refused(() => Client.SchedulingV1.ReplacePriorityClassAsync(created, created.Metadata.Name));
        Assert.Contains("value: Forbidden: may not be changed in an update.", changed.Body, StringComparison.Ordinal);
        await Client.SchedulingV1.DeletePriorityClassAsync(created.Metadata.Name);
    }

    [Fact]
    public async Task Pods_GetTheirClassesPriority_OrTheGlobalDefault_AndMayNotContradictIt()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var ns = "prio-" + suffix;
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await Client.SchedulingV1.CreatePriorityClassAsync(Class("polite-" + suffix, 500, "Never"));

        var pod = await Client.CoreV1.CreateNamespacedPodAsync(Pod("named", "polite-" + suffix), ns);
        Assert.Equal((500, "Never"), (pod.Spec.Priority, pod.Spec.PreemptionPolicy));
        var plain = await Client.CoreV1.CreateNamespacedPodAsync(Pod("plain", null), ns);
        Assert.Equal((0, "PreemptLowerPriority"), (plain.Spec.Priority, plain.Spec.PreemptionPolicy));

        var contradicting = Pod("liar", "polite-" + suffix);
        contradicting.Spec.Priority = 7;
        var lie = await Refused(() => Client.CoreV1.CreateNamespacedPodAsync(contradicting, ns));
        Assert.Equal(403, lie.Code);
        Assert.Contains("the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 500 from the given PriorityClass name", lie.Body, StringComparison.Ordinal);

        // A global default applies to pods naming no class; only one may exist.
        var defaultClass = Class("default-" + suffix, 42);
        defaultClass.GlobalDefault = true;
        await Client.SchedulingV1.CreatePriorityClassAsync(defaultClass);
        try
        {
            var defaulted = await Client.CoreV1.CreateNamespacedPodAsync(Pod("defaulted", null), ns);
            Assert.Equal((42, "default-" + suffix), (defaulted.Spec.Priority, defaulted.Spec.PriorityClassName));
            var second = Class("second-" + suffix, 43);
            second.GlobalDefault = true;
            var refused = await Refused(() => Client.SchedulingV1.CreatePriorityClassAsync(second));
            Assert.Contains($"PriorityClass default-{suffix} is already marked as default. Only one default can exist", refused.Body, StringComparison.Ordinal);

            // Nor may an existing class become a second default.
            second.GlobalDefault = false;
            await Client.SchedulingV1.CreatePriorityClassAsync(second);
            var flip = await Refused(() => Client.SchedulingV1.PatchPriorityClassAsync(
                new V1Patch("""{"globalDefault":true}""", V1Patch.PatchType.MergePatch), second.Metadata.Name));
            Assert.Equal(403, flip.Code);
            await Client.SchedulingV1.DeletePriorityClassAsync(second.Metadata.Name);
        }
        finally
        {
            await Client.SchedulingV1.DeletePriorityClassAsync("default-" + suffix);
        }
    }

    private static async Task<(int Code, string Body)> Refused(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        return ((int)e.Response.StatusCode, e.Response.Content);
    }

    private static V1PriorityClass Class(string name, int value, string? policy = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Value = value, PreemptionPolicy = policy };

    private static V1Pod Pod(string name, string? priorityClass) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            PriorityClassName = priorityClass,
            NodeSelector = new Dictionary<string, string> { ["no-such-node"] = "x" },
            Containers = [new V1Container { Name = "c", Image = "busybox" }],
        },
    };
}
