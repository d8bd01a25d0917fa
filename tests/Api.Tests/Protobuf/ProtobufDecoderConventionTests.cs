using KubeWeb.Api.Protobuf;
using static KubeWeb.Api.Tests.Protobuf.Go;

namespace KubeWeb.Api.Tests.Protobuf;

/// <summary>Kubernetes JSON conventions: times, owner references, managed fields, pointers, packed lists.</summary>
public sealed class ProtobufDecoderConventionTests
{
    [Fact]
    public void ObjectMeta_DecodesTimesOwnerReferencesAndManagedFields()
    {
        var body = Envelope("v1", "ConfigMap", c => c.Msg(1, m => m
            .Str(1, "c").Str(3, "dev").Str(5, "uid-1").Str(6, "42").Int(7, 3)
            .Time(8, 1704067200, 500_000_000)
            .Time(9, 1704067260)
            .Int(10, 0)
            .Entry(12, "note", "x")
            .Msg(13, o => o.Str(1, "Deployment").Str(3, "web").Str(4, "uid-0").Str(5, "apps/v1").Bool(6, true).Bool(7, false))
            .Strs(14, "example.com/cleanup")
            .Msg(17, f => f.Str(1, "kubectl-create").Str(2, "Update").Str(3, "v1").Time(4, 1704067200)
                .Str(6, "FieldsV1").Msg(7, raw => raw.Bytes(1, Utf8("""{"f:data":{".":{}}}""")))
                .Str(8, ""))));

        AssertJson("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{
               "name":"c","namespace":"dev","uid":"uid-1","resourceVersion":"42","generation":3,
               "creationTimestamp":"2024-01-01T00:00:00Z","deletionTimestamp":"2024-01-01T00:01:00Z",
               "deletionGracePeriodSeconds":0,"annotations":{"note":"x"},
               "ownerReferences":[{"kind":"Deployment","name":"web","uid":"uid-0","apiVersion":"apps/v1",
                                   "controller":true,"blockOwnerDeletion":false}],
               "finalizers":["example.com/cleanup"],
               "managedFields":[{"manager":"kubectl-create","operation":"Update","apiVersion":"v1",
                                 "time":"2024-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{}}}}]}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void MicroTime_KeepsMicroseconds()
    {
        var body = Envelope("coordination.k8s.io/v1", "Lease", l => l
            .Msg(1, Meta("leader"))
            .Msg(2, spec => spec.Str(1, "node-a").Int(2, 15).Time(3, 1704067200, 123_456_789).Time(4, 0).Int(5, 0)));

        AssertJson("""
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"leader"},
             "spec":{"holderIdentity":"node-a","leaseDurationSeconds":15,"acquireTime":"2024-01-01T00:00:00.123456Z",
                     "renewTime":"1970-01-01T00:00:00.000000Z","leaseTransitions":0}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void PodSpec_DecodesCommonFields()
    {
        var body = Envelope("apps/v1", "Deployment", d => d
            .Msg(1, Meta("web"))
            .Msg(2, spec => spec.Int(1, 0).Msg(3, tpl => tpl.Msg(2, p => p
                .Msg(1, v => v.Str(1, "cfg").Msg(2, src => src.Msg(19, cm => cm.Msg(1, r => r.Str(1, "app-config")).Int(3, 420))))
                .Msg(2, c => c
                    .Str(1, "app").Str(2, "app:1").Strs(3, "/bin/app").Strs(4, "--port", "8080")
                    .Msg(7, e => e.Str(1, "MODE").Str(2, "prod"))
                    .Msg(7, e => e.Str(1, "PASS").Str(2, "").Msg(3, src => src.Msg(4, k => k.Msg(1, r => r.Str(1, "db")).Str(2, "password"))))
                    .Msg(8, r => r.QtyEntry(1, "memory", "128Mi").QtyEntry(2, "cpu", "100m"))
                    .Msg(9, m => m.Str(1, "cfg").Bool(2, true).Str(3, "/etc/app"))
                    .Msg(11, probe => probe.Msg(1, h => h.Msg(2, g => g.Str(1, "/healthz").IntOrString(2, strVal: "http"))).Int(4, 10))
                    .Str(14, "IfNotPresent")
                    .Msg(15, sc => sc.Bool(5, true).Msg(1, caps => caps.Strs(2, "ALL"))))
                .Int(4, 30)
                .Str(8, "app-sa")
                .Bool(21, false)
                .Msg(14, psc => psc.Int(5, 2000).Bytes(4, [0xe8, 0x07, 0xe9, 0x07]))
                .Msg(22, t => t.Str(1, "dedicated").Str(2, "Equal").Str(3, "db").Str(4, "NoSchedule"))
                .Entry(7, "disk", "ssd")))));

        AssertJson("""
            {"volumes":[{"name":"cfg","configMap":{"name":"app-config","defaultMode":420}}],
             "containers":[{"name":"app","image":"app:1","command":["/bin/app"],"args":["--port","8080"],
               "env":[{"name":"MODE","value":"prod"},
                      {"name":"PASS","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}],
               "resources":{"limits":{"memory":"128Mi"},"requests":{"cpu":"100m"}},
               "volumeMounts":[{"name":"cfg","readOnly":true,"mountPath":"/etc/app"}],
               "readinessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":10},
               "imagePullPolicy":"IfNotPresent",
               "securityContext":{"runAsNonRoot":true,"capabilities":{"drop":["ALL"]}}}],
             "terminationGracePeriodSeconds":30,"serviceAccountName":"app-sa","automountServiceAccountToken":false,
             "securityContext":{"fsGroup":2000,"supplementalGroups":[1000,1001]},
             "tolerations":[{"key":"dedicated","operator":"Equal","value":"db","effect":"NoSchedule"}],
             "nodeSelector":{"disk":"ssd"}}
            """, ProtobufDecoder.Decode(body)["spec"]!["template"]!["spec"]!.AsObject());
    }

    [Fact]
    public void UnknownFields_InKnownMessages_AreSkippedByWireType()
    {
        var body = Envelope("v1", "Secret", s => s
            .Int(99, 7)
            .Fixed32(98, 0xdeadbeef)
            .Fixed64(97, 42)
            .Str(96, "ignored")
            .Group(101, 1)
            .Msg(1, Meta("s", extra: m => m.Str(15, "legacy-cluster-name").Entry(11, "a", "b")))
            .Msg(2, e => e.Str(1, "k").Int(3, 5).Bytes(2, [1, 2]))
            .Str(3, "Opaque"));

        AssertJson("""
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","labels":{"a":"b"}},"data":{"k":"AQI="},"type":"Opaque"}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void RepeatedMessageField_SeenTwice_Merges()
    {
        var body = Envelope("v1", "Secret", s => s
            .Msg(1, m => m.Str(1, "s"))
            .Msg(1, m => m.Str(3, "dev"))
            .Bool(5, false));

        AssertJson("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"dev"},"immutable":false}""",
            ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void EveryRegisteredKind_DecodesAnEmptyObject()
    {
        foreach (var (apiVersion, kind) in KubeWeb.Api.Protobuf.Schema.SchemaSet.Default.Kinds)
        {
            var json = ProtobufDecoder.Decode(Envelope(apiVersion, kind, _ => { }));

            AssertJson($$"""{"apiVersion":"{{apiVersion}}","kind":"{{kind}}"}""", json);
            Assert.True(ProtobufDecoder.IsSupported(apiVersion, kind));
        }
    }
}
