using System.Text;
using k8s.Models;
using KubeWeb.Api.Admission.Strategies;
using static KubeWeb.Api.Tests.Admission.StrategyTestKit;

namespace KubeWeb.Api.Tests.Admission;

public sealed class CoreStrategyTests
{
    private static V1Service NewService(params V1ServicePort[] ports) =>
        new() { Metadata = Meta("web"), Spec = new V1ServiceSpec { Ports = ports, Selector = new Dictionary<string, string> { ["app"] = "web" } } };

    [Fact]
    public void Service_Create_DefaultsTypeProtocolAndTargetPort()
    {
        var svc = NewService(new V1ServicePort { Port = 80 });

        Assert.Empty(Create(new ServiceStrategy(), svc));

        Assert.Equal("ClusterIP", svc.Spec.Type);
        Assert.Equal("None", svc.Spec.SessionAffinity);
        Assert.Equal("TCP", svc.Spec.Ports[0].Protocol);
        Assert.Equal("80", svc.Spec.Ports[0].TargetPort.Value);
        Assert.Equal("SingleStack", svc.Spec.IpFamilyPolicy);
        Assert.Equal(["IPv4"], svc.Spec.IpFamilies);
        Assert.Equal("Cluster", svc.Spec.InternalTrafficPolicy);
        Assert.Null(svc.Spec.ExternalTrafficPolicy);
    }

    [Fact]
    public void Service_NodePort_DefaultsExternalTrafficPolicy()
    {
        var svc = NewService(new V1ServicePort { Port = 80 });
        svc.Spec.Type = "NodePort";

        Create(new ServiceStrategy(), svc);

        Assert.Equal("Cluster", svc.Spec.ExternalTrafficPolicy);
    }

    [Fact]
    public void Service_PortRules()
    {
        var strategy = new ServiceStrategy();
        Assert.Equal("FieldValueRequired", Single(Create(strategy, NewService()), "spec.ports").Reason);

        var headless = NewService();
        headless.Spec.ClusterIP = "None";
        Assert.Empty(Create(strategy, headless));

        var errors = Create(strategy, NewService(new V1ServicePort { Port = 80 }, new V1ServicePort { Name = "b", Port = 0 }));
        Assert.Equal("FieldValueRequired", Single(errors, "spec.ports[0].name").Reason);
        Assert.Equal("Invalid value: 0: must be between 1 and 65535, inclusive", Single(errors, "spec.ports[1].port").Message);
    }

    [Fact]
    public void Service_NameMustBeDns1035() =>
        Assert.StartsWith("a DNS-1035 label", new ServiceStrategy().ValidateName("1web"));

    [Fact]
    public void Service_ChangingClusterIP_IsRejected_ButOmittingItKeepsIt()
    {
        var strategy = new ServiceStrategy();
        var old = NewService(new V1ServicePort { Port = 80 });
        old.Spec.ClusterIP = "10.96.0.10";
        Create(strategy, old);

        var omitted = NewService(new V1ServicePort { Port = 80 });
        Assert.Empty(Update(strategy, omitted, old));
        Assert.Equal("10.96.0.10", omitted.Spec.ClusterIP);

        var changed = Copy(old);
        changed.Spec.ClusterIP = "10.96.0.11";
        changed.Spec.ClusterIPs = ["10.96.0.11"];
        Assert.EndsWith("may not change once set", Single(Update(strategy, changed, old), "spec.clusterIPs[0]").Message);
    }

    [Fact]
    public void Secret_StringData_IsFoldedIntoDataAndCleared()
    {
        var secret = new V1Secret
        {
            Metadata = Meta("creds"),
            Data = new Dictionary<string, byte[]> { ["user"] = Encoding.UTF8.GetBytes("old"), ["keep"] = [1] },
            StringData = new Dictionary<string, string> { ["user"] = "admin" },
        };

        Assert.Empty(Create(new SecretStrategy(), secret));

        Assert.Null(secret.StringData);
        Assert.Equal("Opaque", secret.Type);
        Assert.Equal("admin", Encoding.UTF8.GetString(secret.Data["user"]));
        Assert.Contains("\"user\":\"YWRtaW4=\"", k8s.KubernetesJson.Serialize(secret));
    }

    [Fact]
    public void Secret_TypeRules()
    {
        var strategy = new SecretStrategy();
        var tls = new V1Secret { Metadata = Meta("tls"), Type = "kubernetes.io/tls", Data = new Dictionary<string, byte[]> { ["tls.crt"] = [1] } };
        Assert.Equal("FieldValueRequired", Single(Create(strategy, tls), "data[tls.key]").Reason);

        var docker = new V1Secret { Metadata = Meta("pull"), Type = "kubernetes.io/dockerconfigjson" };
        Assert.Equal("FieldValueRequired", Single(Create(strategy, docker), "data[.dockerconfigjson]").Reason);

        var old = new V1Secret { Metadata = Meta("s"), Data = new Dictionary<string, byte[]> { ["a"] = [1] }, Immutable = true };
        Create(strategy, old);
        var changed = Copy(old);
        changed.Type = "kubernetes.io/basic-auth";
        changed.Data["a"] = [2];
        changed.Data["username"] = [3];
        var errors = Update(strategy, changed, old);
        Assert.EndsWith("field is immutable", Single(errors, "type").Message);
        Assert.Equal("Forbidden: field is immutable when `immutable` is set", Single(errors, "data").Message);
        Assert.Equal("kubernetes.io/basic-auth", strategy.GetField(changed, "type"));
    }

    [Fact]
    public void ConfigMap_InvalidKeyAndImmutableChange()
    {
        var strategy = new ConfigMapStrategy();
        var bad = new V1ConfigMap { Metadata = Meta("c"), Data = new Dictionary<string, string> { ["bad key"] = "v" } };
        Assert.Equal("FieldValueInvalid", Single(Create(strategy, bad), "data[bad key]").Reason);

        var old = new V1ConfigMap { Metadata = Meta("c"), Data = new Dictionary<string, string> { ["k"] = "v" }, Immutable = true };
        var changed = Copy(old);
        changed.Data["k"] = "w";
        Assert.Equal("FieldValueForbidden", Single(Update(strategy, changed, old), "data").Reason);

        var big = new V1ConfigMap { Metadata = Meta("c"), Data = new Dictionary<string, string> { ["k"] = new string('x', 1024 * 1024) } };
        Assert.Equal("FieldValueTooLong", Single(Create(strategy, big), "").Reason);
    }

    [Fact]
    public void Namespace_Create_SetsActivePhaseFinalizerAndNameLabel()
    {
        var strategy = new NamespaceStrategy();
        var ns = new V1Namespace { Metadata = Meta("team-a", ns: null), Status = new V1NamespaceStatus { Phase = "Terminating" } };

        Assert.Empty(Create(strategy, ns));

        Assert.Equal("Active", ns.Status.Phase);
        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
        Assert.Equal("team-a", ns.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal("Active", strategy.GetField(ns, "status.phase"));
        Assert.NotNull(strategy.ValidateName("team.a"));
    }

    [Fact]
    public void Namespace_Update_KeepsStoredFinalizers()
    {
        var strategy = new NamespaceStrategy();
        var old = new V1Namespace { Metadata = Meta("team-a", ns: null) };
        Create(strategy, old);
        var updated = Copy(old);
        updated.Spec.Finalizers = [];

        Update(strategy, updated, old);

        Assert.Equal(["kubernetes"], updated.Spec.Finalizers);
    }

    [Fact]
    public void Node_KeepsStatusOnCreate_AndSelectsUnschedulable()
    {
        var strategy = new NodeStrategy();
        var node = new V1Node
        {
            Metadata = Meta("node-1", ns: null),
            Spec = new V1NodeSpec { Unschedulable = true },
            Status = new V1NodeStatus { Capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4") } },
        };

        Assert.Empty(Create(strategy, node));

        Assert.Equal("4", node.Status.Allocatable["cpu"].ToString());
        Assert.Equal("true", strategy.GetField(node, "spec.unschedulable"));
    }

    [Fact]
    public void Event_RequiresInvolvedObject_AndSelectsFields()
    {
        var strategy = new EventStrategy();
        Assert.Equal("FieldValueRequired", Single(Create(strategy, new Corev1Event { Metadata = Meta("e") }), "involvedObject").Reason);

        var ev = new Corev1Event
        {
            Metadata = Meta("e"),
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web", NamespaceProperty = "default", Uid = "u" },
            Reason = "Scheduled",
            Type = "Normal",
            Source = new V1EventSource { Component = "default-scheduler" },
        };
        Assert.Empty(Create(strategy, ev));
        Assert.Equal("Pod", strategy.GetField(ev, "involvedObject.kind"));
        Assert.Equal("web", strategy.GetField(ev, "involvedObject.name"));
        Assert.Equal("default", strategy.GetField(ev, "involvedObject.namespace"));
        Assert.Equal("Scheduled", strategy.GetField(ev, "reason"));
        Assert.Equal("default-scheduler", strategy.GetField(ev, "source"));
        Assert.Equal("Normal", strategy.GetField(ev, "type"));

        ev.InvolvedObject.NamespaceProperty = "other";
        Assert.Equal("FieldValueInvalid", Single(strategy.ValidateCreate(ev), "involvedObject.namespace").Reason);
    }
}
