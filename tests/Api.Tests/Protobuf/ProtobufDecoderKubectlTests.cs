using KubeWeb.Api.Protobuf;
using static KubeWeb.Api.Tests.Protobuf.Go;

namespace KubeWeb.Api.Tests.Protobuf;

/// <summary>
/// Bodies shaped like the ones kubectl 1.32 sends for its generators (built field by field the way
/// gogo marshals the Go structs kubectl fills in) must decode to the JSON kubectl ≤1.31 sent.
/// </summary>
public sealed class ProtobufDecoderKubectlTests
{
    [Fact]
    public void CreateSecretGeneric_DecodesDataAsBase64_AndDropsEmptyType()
    {
        var body = Envelope("v1", "Secret", s => s
            .Msg(1, Meta("s"))
            .BytesEntry(2, "a", Utf8("b"))
            .Str(3, ""));

        AssertJson("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"a":"Yg=="}}""",
            ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreateConfigMap_KeepsTextAndBinaryData()
    {
        var body = Envelope("v1", "ConfigMap", c => c
            .Msg(1, Meta("c", "dev"))
            .Entry(2, "k", "v")
            .Entry(2, "z", "")
            .BytesEntry(3, "bin", [0xff, 0x00]));

        AssertJson("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"dev"},
             "data":{"k":"v","z":""},"binaryData":{"bin":"/wA="}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreateNamespace_EmitsEmptySpecAndStatus()
    {
        var body = Envelope("v1", "Namespace", n => n
            .Msg(1, Meta("dev"))
            .Empty(2)
            .Msg(3, st => st.Str(1, "")));

        AssertJson("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev"},"spec":{},"status":{}}""",
            ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreateDeployment_WithReplicasAndPort_DecodesPodTemplate()
    {
        var body = Envelope("apps/v1", "Deployment", d => d
            .Msg(1, Meta("web", extra: m => m.Entry(11, "app", "web")))
            .Msg(2, spec => spec
                .Int(1, 2)
                .Msg(2, sel => sel.Entry(1, "app", "web"))
                .Msg(3, tpl => tpl
                    .Msg(1, Meta("", extra: m => m.Entry(11, "app", "web")))
                    .Msg(2, PodSpec(c => c
                        .Str(1, "nginx").Str(2, "nginx").Str(5, "")
                        .Msg(6, p => p.Str(1, "").Int(2, 0).Int(3, 80).Str(4, "").Str(5, ""))
                        .Empty(8)
                        .Str(13, "").Str(14, "").Bool(16, false).Bool(17, false).Bool(18, false).Str(20, ""))))
                .Msg(4, strategy => strategy.Str(1, ""))
                .Int(5, 0)
                .Bool(7, false))
            .Msg(3, st => st.Int(1, 0).Int(2, 0).Int(3, 0).Int(4, 0).Int(5, 0).Int(7, 0)));

        AssertJson("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}],"resources":{}}]}},
               "strategy":{}},
             "status":{}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreateServiceClusterIp_DecodesPortsAndIntTargetPort()
    {
        var body = Envelope("v1", "Service", s => s
            .Msg(1, Meta("my-svc", extra: m => m.Entry(11, "app", "my-svc")))
            .Msg(2, spec => spec
                .Msg(1, p => p.Str(1, "5678-8080").Str(2, "TCP").Int(3, 5678).IntOrString(4, intVal: 8080).Int(5, 0))
                .Entry(2, "app", "my-svc")
                .Str(3, "").Str(4, "ClusterIP").Str(7, "").Str(8, "").Str(10, "").Str(11, "")
                .Int(12, 0).Bool(13, false))
            .Msg(3, st => st.Empty(1)));

        AssertJson("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"my-svc","labels":{"app":"my-svc"}},
             "spec":{"ports":[{"name":"5678-8080","protocol":"TCP","port":5678,"targetPort":8080}],
               "selector":{"app":"my-svc"},"type":"ClusterIP"},
             "status":{"loadBalancer":{}}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreateServiceExternalName_KeepsExternalNameAndNoneClusterIp()
    {
        var body = Envelope("v1", "Service", s => s
            .Msg(1, Meta("ext"))
            .Msg(2, spec => spec.Str(3, "").Str(4, "ExternalName").Str(10, "example.com")));

        AssertJson("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"ext"},
             "spec":{"type":"ExternalName","externalName":"example.com"}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void AuthCanI_ResourceReview_KeepsAllowedFalse()
    {
        var body = Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", r => r
            .Msg(1, Meta(""))
            .Msg(2, spec => spec.Msg(1, a => a
                .Str(1, "dev").Str(2, "create").Str(3, "apps").Str(4, "").Str(5, "deployments").Str(6, "").Str(7, "")))
            .Msg(3, st => st.Bool(1, false).Str(2, "").Str(3, "").Bool(4, false)));

        AssertJson("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},
             "spec":{"resourceAttributes":{"namespace":"dev","verb":"create","group":"apps","resource":"deployments"}},
             "status":{"allowed":false}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void AuthCanI_NonResourceReview_DecodesPathAndVerb()
    {
        var body = Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", r => r
            .Msg(1, Meta(""))
            .Msg(2, spec => spec.Msg(2, a => a.Str(1, "/logs").Str(2, "get")))
            .Msg(3, st => st.Bool(1, false)));

        var json = ProtobufDecoder.Decode(body);

        AssertJson("""{"path":"/logs","verb":"get"}""", json["spec"]!["nonResourceAttributes"]!.AsObject());
    }

    [Fact]
    public void AuthWhoami_DecodesEmptyReview()
    {
        var body = Envelope("authentication.k8s.io/v1", "SelfSubjectReview", r => r
            .Msg(1, Meta(""))
            .Msg(2, st => st.Msg(1, u => u.Str(1, "").Str(2, ""))));

        AssertJson("""
            {"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview","metadata":{},"status":{"userInfo":{}}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreateToken_DecodesAudiencesAndExpiration()
    {
        var body = Envelope("authentication.k8s.io/v1", "TokenRequest", t => t
            .Msg(1, Meta(""))
            .Msg(2, spec => spec.Strs(1, "api", "vault").Int(4, 3600))
            .Msg(3, st => st.Str(1, "").Empty(2)));

        AssertJson("""
            {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{},
             "spec":{"audiences":["api","vault"],"expirationSeconds":3600},"status":{}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreateServiceAccount_DecodesName()
    {
        var body = Envelope("v1", "ServiceAccount", sa => sa.Msg(1, Meta("bot", "dev")));

        AssertJson("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"bot","namespace":"dev"}}""",
            ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreateJob_DecodesCommandAndRestartPolicy()
    {
        var body = Envelope("batch/v1", "Job", j => j
            .Msg(1, Meta("j"))
            .Msg(2, spec => spec.Msg(6, tpl => tpl
                .Msg(1, Meta(""))
                .Msg(2, PodSpec(c => c.Str(1, "j").Str(2, "busybox").Str(3, "date").Empty(8), restartPolicy: "Never"))))
            .Msg(3, st => st.Int(4, 0).Int(5, 0).Int(6, 0)));

        AssertJson("""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},
             "spec":{"template":{"metadata":{},"spec":{"containers":[{"name":"j","image":"busybox","command":["date"],"resources":{}}],
               "restartPolicy":"Never"}}}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreateCronJob_DecodesScheduleAndJobTemplate()
    {
        var body = Envelope("batch/v1", "CronJob", j => j
            .Msg(1, Meta("cj"))
            .Msg(2, spec => spec
                .Str(1, "*/1 * * * *")
                .Str(3, "")
                .Msg(5, jt => jt
                    .Msg(1, Meta("cj"))
                    .Msg(2, js => js.Msg(6, tpl => tpl
                        .Msg(1, Meta(""))
                        .Msg(2, PodSpec(c => c.Str(1, "cj").Str(2, "busybox").Empty(8), restartPolicy: "OnFailure"))))))
            .Msg(3, st => st.Empty(1)));

        var json = ProtobufDecoder.Decode(body);

        Assert.Equal("*/1 * * * *", (string?)json["spec"]!["schedule"]);
        Assert.Equal("cj", (string?)json["spec"]!["jobTemplate"]!["metadata"]!["name"]);
        Assert.Equal("OnFailure", (string?)json["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!["restartPolicy"]);
        Assert.Null(json["status"]);
    }

    [Fact]
    public void CreateIngress_DecodesRulesTlsAndPathType()
    {
        var backend = (Action<Pb>)(b => b.Msg(4, svc => svc.Str(1, "svc1").Msg(2, port => port.Str(1, "").Int(2, 8080))));
        var body = Envelope("networking.k8s.io/v1", "Ingress", i => i
            .Msg(1, Meta("simple"))
            .Msg(2, spec => spec
                .Msg(1, backend)
                .Msg(2, tls => tls.Strs(1, "foo.com").Str(2, "my-cert"))
                .Msg(3, rule => rule.Str(1, "foo.com").Msg(2, value => value.Msg(1, http => http
                    .Msg(1, path => path.Str(1, "/bar").Msg(2, backend).Str(3, "Exact")))))
                .Str(4, "nginx"))
            .Msg(3, st => st.Empty(1)));

        AssertJson("""
            {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"simple"},
             "spec":{"defaultBackend":{"service":{"name":"svc1","port":{"number":8080}}},
               "tls":[{"hosts":["foo.com"],"secretName":"my-cert"}],
               "rules":[{"host":"foo.com","http":{"paths":[{"path":"/bar","backend":{"service":{"name":"svc1","port":{"number":8080}}},"pathType":"Exact"}]}}],
               "ingressClassName":"nginx"}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreatePdb_DecodesIntAndPercentIntOrString()
    {
        var body = Envelope("policy/v1", "PodDisruptionBudget", p => p
            .Msg(1, Meta("pdb"))
            .Msg(2, spec => spec
                .IntOrString(1, intVal: 0)
                .Msg(2, sel => sel.Entry(1, "app", "rails"))
                .IntOrString(3, strVal: "50%")));

        AssertJson("""
            {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb"},
             "spec":{"minAvailable":0,"selector":{"matchLabels":{"app":"rails"}},"maxUnavailable":"50%"}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreatePriorityClass_KeepsZeroValue()
    {
        var body = Envelope("scheduling.k8s.io/v1", "PriorityClass", p => p
            .Msg(1, Meta("low"))
            .Int(2, 0)
            .Bool(3, false)
            .Str(4, "batch work")
            .Str(5, "Never"));

        AssertJson("""
            {"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"low"},
             "value":0,"description":"batch work","preemptionPolicy":"Never"}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreateQuota_DecodesQuantitiesAndScopes()
    {
        var body = Envelope("v1", "ResourceQuota", q => q
            .Msg(1, Meta("q"))
            .Msg(2, spec => spec.QtyEntry(1, "cpu", "500m").QtyEntry(1, "pods", "2").Strs(2, "BestEffort"))
            .Empty(3));

        AssertJson("""
            {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},
             "spec":{"hard":{"cpu":"500m","pods":"2"},"scopes":["BestEffort"]},"status":{}}
            """, ProtobufDecoder.Decode(body));
    }

    internal static Action<Pb> PodSpec(Action<Pb> container, string restartPolicy = "") => p => p
        .Msg(2, container)
        .Str(3, restartPolicy).Str(6, "").Str(8, "").Str(9, "").Str(10, "")
        .Bool(11, false).Bool(12, false).Bool(13, false)
        .Str(16, "").Str(17, "").Str(19, "").Str(24, "");
}
