using k8s.Models;
using KubeWeb.Api.Admission.Plugins;

namespace KubeWeb.Api.Tests.Admission;

public sealed class PriorityAdmissionTests
{
    private static readonly V1PriorityClass High = Class("high", 1000, "Never");

    [Fact]
    public void WithoutAClass_OrADefault_APodGetsPriorityZero()
    {
        var pod = Pod(null);
        PriorityAdmission.Apply(pod, _ => null, () => []);
        Assert.Equal((0, "PreemptLowerPriority", (string?)null), (pod.Spec.Priority, pod.Spec.PreemptionPolicy, pod.Spec.PriorityClassName));
    }

    [Fact]
    public void ANamedClass_GivesItsValueAndPolicy()
    {
        var pod = Pod("high");
        PriorityAdmission.Apply(pod, n => n == "high" ? High : null, () => [High]);
        Assert.Equal((1000, "Never"), (pod.Spec.Priority, pod.Spec.PreemptionPolicy));
    }

    [Fact]
    public void TheLowestGlobalDefault_AppliesToPodsNamingNoClass()
    {
        var a = Class("a", 50);
        a.GlobalDefault = true;
        var b = Class("b", 20);
        b.GlobalDefault = true;
        var pod = Pod(null);
        PriorityAdmission.Apply(pod, _ => null, () => [High, a, b]);
        Assert.Equal((20, "b"), (pod.Spec.Priority, pod.Spec.PriorityClassName));
    }

    [Fact]
    public void UnknownClasses_AndContradictingValues_AreRefused()
    {
        var missing = Assert.Throws<PriorityAdmissionException>(() => PriorityAdmission.Apply(Pod("nope"), _ => null, () => []));
        Assert.Equal("no PriorityClass with name nope was found", missing.Message);

        var lying = Pod("high");
        lying.Spec.PreemptionPolicy = "PreemptLowerPriority";
        var policy = Assert.Throws<PriorityAdmissionException>(() => PriorityAdmission.Apply(lying, _ => High, () => [High]));
        Assert.Equal("the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name", policy.Message);

        var same = Pod("high");
        same.Spec.Priority = 1000;
        PriorityAdmission.Apply(same, _ => High, () => [High]);
        Assert.Equal(1000, same.Spec.Priority);
    }

    private static V1PriorityClass Class(string name, int value, string policy = "PreemptLowerPriority") =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Value = value, PreemptionPolicy = policy };

    private static V1Pod Pod(string? priorityClass) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" },
        Spec = new V1PodSpec { PriorityClassName = priorityClass, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };
}
