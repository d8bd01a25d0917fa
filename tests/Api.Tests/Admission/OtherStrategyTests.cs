using k8s.Models;
using KubeWeb.Api.Admission.Strategies;
using static KubeWeb.Api.Tests.Admission.StrategyTestKit;

namespace KubeWeb.Api.Tests.Admission;

public sealed class OtherStrategyTests
{
    private static Dictionary<string, ResourceQuantity> Storage(string amount) => new() { ["storage"] = new(amount) };

    [Fact]
    public void PersistentVolume_DefaultsAndStartsAvailable()
    {
        var pv = new V1PersistentVolume
        {
            Metadata = Meta("pv1", ns: null),
            Spec = new V1PersistentVolumeSpec { AccessModes = ["ReadWriteOnce"], Capacity = Storage("1Gi"), HostPath = new V1HostPathVolumeSource { Path = "/data" } },
        };

        Assert.Empty(Create(new PersistentVolumeStrategy(), pv));

        Assert.Equal("Retain", pv.Spec.PersistentVolumeReclaimPolicy);
        Assert.Equal("Filesystem", pv.Spec.VolumeMode);
        Assert.Equal("Available", pv.Status.Phase);
    }

    [Fact]
    public void PersistentVolume_MissingAccessModesCapacityAndSource_AreRequired()
    {
        var errors = Create(new PersistentVolumeStrategy(), new V1PersistentVolume { Metadata = Meta("pv1", ns: null) });

        Assert.Equal("FieldValueRequired", Single(errors, "spec.accessModes").Reason);
        Assert.Equal("FieldValueRequired", Single(errors, "spec.capacity").Reason);
        Assert.Equal("Required value: must specify a volume type", Single(errors, "spec").Message);
    }

    [Fact]
    public void PersistentVolumeClaim_PendingOnCreate_GrowsButOtherwiseImmutable()
    {
        var strategy = new PersistentVolumeClaimStrategy();
        var old = new V1PersistentVolumeClaim
        {
            Metadata = Meta("data"),
            Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], Resources = new V1VolumeResourceRequirements { Requests = Storage("1Gi") } },
        };

        Assert.Empty(Create(strategy, old));
        Assert.Equal("Pending", old.Status.Phase);
        Assert.Equal("Filesystem", old.Spec.VolumeMode);

        var grown = Copy(old);
        grown.Spec.Resources.Requests = Storage("2Gi");
        grown.Spec.VolumeName = "pv1";
        Assert.Empty(Update(strategy, grown, old));

        var changed = Copy(old);
        changed.Spec.AccessModes = ["ReadWriteMany"];
        Assert.Equal("FieldValueForbidden", Single(Update(strategy, changed, old), "spec").Reason);

        var missing = new V1PersistentVolumeClaim { Metadata = Meta("d"), Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"] } };
        Assert.Equal("FieldValueRequired", Single(Create(strategy, missing), "spec.resources[storage]").Reason);
    }

    [Fact]
    public void EndpointSlice_RequiresAddressType_AndMatchingAddresses()
    {
        var strategy = new EndpointSliceStrategy();
        var slice = new V1EndpointSlice
        {
            Metadata = Meta("web-abc"),
            Endpoints = [new V1Endpoint { Addresses = ["10.0.0.1"] }],
            Ports = [new Discoveryv1EndpointPort { Port = 80 }],
        };
        Assert.Equal("FieldValueRequired", Single(Create(strategy, slice), "addressType").Reason);

        slice.AddressType = "IPv6";
        Assert.Equal("FieldValueInvalid", Single(Create(strategy, slice), "endpoints[0].addresses[0]").Reason);

        slice.AddressType = "IPv4";
        Assert.Empty(Create(strategy, slice));
        Assert.Equal(("TCP", ""), (slice.Ports[0].Protocol, slice.Ports[0].Name));
    }

    [Fact]
    public void Ingress_PathTypeAndBackendPort_AreRequired()
    {
        var ingress = new V1Ingress
        {
            Metadata = Meta("web"),
            Spec = new V1IngressSpec
            {
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = "example.com",
                        Http = new V1HTTPIngressRuleValue
                        {
                            Paths = [new V1HTTPIngressPath { Path = "/", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web" } } }],
                        },
                    },
                ],
            },
        };

        var errors = Create(new IngressStrategy(), ingress);

        Assert.Equal("Required value: pathType must be specified", Single(errors, "spec.rules[0].http.paths[0].pathType").Message);
        Assert.Equal("Required value: port name or number is required", Single(errors, "spec.rules[0].http.paths[0].backend.service.port").Message);
    }

    [Fact]
    public void Role_RuleWithoutVerbs_IsRequired()
    {
        var role = new V1Role { Metadata = Meta("reader"), Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods"] }] };

        var error = Single(Create(new RoleStrategy(), role), "rules[0].verbs");

        Assert.Equal("Required value: verbs must contain at least one value", error.Message);
        Assert.Null(new ClusterRoleStrategy().ValidateName("system:controller:job-controller"));
    }

    [Fact]
    public void RoleBinding_ChangingRoleRef_IsRejected()
    {
        var strategy = new RoleBindingStrategy();
        var old = new V1RoleBinding
        {
            Metadata = Meta("rb"),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "reader" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "default", NamespaceProperty = "default" }],
        };
        Assert.Empty(Create(strategy, old));
        var changed = Copy(old);
        changed.RoleRef.Name = "writer";

        Assert.EndsWith("cannot change roleRef", Single(Update(strategy, changed, old), "roleRef").Message);
    }

    [Fact]
    public void Hpa_DefaultsMinReplicasAndCpuMetric_AndChecksBounds()
    {
        var strategy = new HorizontalPodAutoscalerStrategy();
        var hpa = new V2HorizontalPodAutoscaler
        {
            Metadata = Meta("web"),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                MaxReplicas = 5,
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web" },
            },
        };

        Assert.Empty(Create(strategy, hpa));
        Assert.Equal(1, hpa.Spec.MinReplicas);
        Assert.Equal(80, hpa.Spec.Metrics[0].Resource.Target.AverageUtilization);

        hpa.Spec.MinReplicas = 6;
        hpa.Spec.ScaleTargetRef.Name = null;
        var errors = strategy.ValidateCreate(hpa).ToList();
        Assert.EndsWith("must be greater than or equal to `minReplicas`", Single(errors, "spec.maxReplicas").Message);
        Assert.Equal("FieldValueRequired", Single(errors, "spec.scaleTargetRef.name").Reason);
    }

    [Fact]
    public void LimitRange_MinAboveMax_IsInvalid()
    {
        var range = new V1LimitRange
        {
            Metadata = Meta("limits"),
            Spec = new V1LimitRangeSpec
            {
                Limits = [new V1LimitRangeItem { Type = "Container", Min = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2") }, Max = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } }],
            },
        };

        Assert.Equal("Invalid value: \"2\": min value 2 is greater than max value 1", Single(Create(new LimitRangeStrategy(), range), "spec.limits[0].min[cpu]").Message);
    }

    [Fact]
    public void ResourceQuota_NegativeHard_IsInvalid()
    {
        var quota = new V1ResourceQuota { Metadata = Meta("q"), Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("-1") } } };

        Assert.Equal("FieldValueInvalid", Single(Create(new ResourceQuotaStrategy(), quota), "spec.hard[pods]").Reason);
    }

    [Fact]
    public void Lease_NonPositiveDuration_IsInvalid()
    {
        var lease = new V1Lease { Metadata = Meta("leader"), Spec = new V1LeaseSpec { LeaseDurationSeconds = 0 } };

        Assert.Equal("FieldValueInvalid", Single(Create(new LeaseStrategy(), lease), "spec.leaseDurationSeconds").Reason);
    }
}
