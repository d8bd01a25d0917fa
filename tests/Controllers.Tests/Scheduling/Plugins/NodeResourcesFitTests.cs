using k8s.Models;
using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Plugins;
using static KubeWeb.Controllers.Tests.Scheduling.Kit;

namespace KubeWeb.Controllers.Tests.Scheduling.Plugins;

public sealed class NodeResourcesFitTests
{
    private readonly NodeResourcesFit _fit = new();

    [Fact]
    public void Fits_WhenRequestsAreWithinAllocatableMinusRequested()
    {
        var node = Info(Node("a", cpu: "2", memory: "4Gi"), Pod("x", "1", "2Gi").On("a"));
        Assert.Null(Filter(_fit, Pod("p", "1", "2Gi"), node));
    }

    [Fact]
    public void EveryInsufficientResource_IsItsOwnReason()
    {
        var node = Info(Node("a", cpu: "2", memory: "4Gi"), Pod("x", "1500m", "3Gi").On("a"));
        Assert.Equal("Insufficient cpu, Insufficient memory", Filter(_fit, Pod("p", "1", "2Gi"), node));
        Assert.Equal("Insufficient cpu", Filter(_fit, Pod("q", "1"), node));
    }

    [Fact]
    public void PodCount_IsLimitedByAllocatablePods()
    {
        var node = Info(Node("a", pods: 2), Pod("x").On("a"), Pod("y").On("a"));
        Assert.Equal("Too many pods", Filter(_fit, Pod("p"), node));
    }

    [Fact]
    public void EphemeralStorage_AndExtendedResources_AreChecked()
    {
        var node = Info(Node("a", extra: new() { ["example.com/gpu"] = "2" }), Pod("x", extra: new() { ["example.com/gpu"] = "1" }).On("a"));
        Assert.Null(Filter(_fit, Pod("p", extra: new() { ["example.com/gpu"] = "1" }), node));
        Assert.Equal("Insufficient example.com/gpu", Filter(_fit, Pod("p", extra: new() { ["example.com/gpu"] = "2" }), node));
        Assert.Equal("Insufficient example.com/fpga", Filter(_fit, Pod("p", extra: new() { ["example.com/fpga"] = "1" }), node));
        Assert.Equal("Insufficient ephemeral-storage", Filter(_fit, Pod("p", extra: new() { ["ephemeral-storage"] = "200Gi" }), node));
    }

    [Fact]
    public void InitContainers_CountTheirMaximum_NotTheirSum()
    {
        var pod = Pod("p", "500m");
        pod.Spec.InitContainers =
        [
            new V1Container { Name = "i1", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1500m") } } },
            new V1Container { Name = "i2", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } } },
        ];
        Assert.Equal(1500, PodInfo.Create(pod).Requests.MilliCpu);
        Assert.Null(Filter(_fit, pod, Info(Node("a", cpu: "1500m"))));
        Assert.Equal("Insufficient cpu", Filter(_fit, pod, Info(Node("b", cpu: "1400m"))));
    }

    [Fact]
    public void SidecarInitContainers_AddToTheContainers()
    {
        var pod = Pod("p", "500m");
        pod.Spec.InitContainers =
        [
            new V1Container { Name = "sidecar", RestartPolicy = "Always", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("200m") } } },
        ];
        Assert.Equal(700, PodInfo.Create(pod).Requests.MilliCpu);
    }

    [Fact]
    public void LimitsWithoutRequests_CountAsRequests()
    {
        var pod = Pod("p");
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("3") } };
        Assert.Equal("Insufficient cpu", Filter(_fit, pod, Info(Node("a", cpu: "2"))));
    }
}
