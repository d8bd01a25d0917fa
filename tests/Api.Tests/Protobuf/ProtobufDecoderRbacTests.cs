using KubeWeb.Api.Protobuf;
using static KubeWeb.Api.Tests.Protobuf.Go;

namespace KubeWeb.Api.Tests.Protobuf;

public sealed class ProtobufDecoderRbacTests
{
    [Fact]
    public void CreateRole_KeepsEmptyCoreApiGroup()
    {
        var body = Envelope("rbac.authorization.k8s.io/v1", "Role", r => r
            .Msg(1, Meta("pod-reader"))
            .Msg(2, rule => rule.Strs(1, "get", "list").Strs(2, "").Strs(3, "pods")));

        AssertJson("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"pod-reader"},
             "rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"]}]}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void CreateClusterRole_DecodesAggregationRule()
    {
        var body = Envelope("rbac.authorization.k8s.io/v1", "ClusterRole", r => r
            .Msg(1, Meta("monitoring"))
            .Msg(2, rule => rule.Strs(1, "get").Strs(5, "/metrics"))
            .Msg(3, agg => agg.Msg(1, sel => sel.Entry(1, "rbac.example.com/aggregate-to-monitoring", "true"))));

        AssertJson("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"monitoring"},
             "rules":[{"verbs":["get"],"nonResourceURLs":["/metrics"]}],
             "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"rbac.example.com/aggregate-to-monitoring":"true"}}]}}
            """, ProtobufDecoder.Decode(body));
    }

    [Theory]
    [InlineData("RoleBinding")]
    [InlineData("ClusterRoleBinding")]
    public void CreateBinding_DecodesSubjectsAndRoleRef(string kind)
    {
        var body = Envelope("rbac.authorization.k8s.io/v1", kind, b => b
            .Msg(1, Meta("rb"))
            .Msg(2, s => s.Str(1, "User").Str(2, "rbac.authorization.k8s.io").Str(3, "alice").Str(4, ""))
            .Msg(2, s => s.Str(1, "ServiceAccount").Str(2, "").Str(3, "bot").Str(4, "dev"))
            .Msg(3, rr => rr.Str(1, "rbac.authorization.k8s.io").Str(2, "ClusterRole").Str(3, "view")));

        AssertJson($$$"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"{{{kind}}}","metadata":{"name":"rb"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"},
                         {"kind":"ServiceAccount","name":"bot","namespace":"dev"}],
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void SelfSubjectRulesReview_DecodesNamespace()
    {
        var body = Envelope("authorization.k8s.io/v1", "SelfSubjectRulesReview", r => r
            .Msg(1, Meta(""))
            .Msg(2, spec => spec.Str(1, "dev"))
            .Msg(3, st => st.Bool(3, false).Str(4, "")));

        AssertJson("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","metadata":{},
             "spec":{"namespace":"dev"},"status":{"incomplete":false}}
            """, ProtobufDecoder.Decode(body));
    }

    [Fact]
    public void SubjectAccessReview_DecodesExtraAsStringLists()
    {
        var body = Envelope("authorization.k8s.io/v1", "SubjectAccessReview", r => r
            .Msg(1, Meta(""))
            .Msg(2, spec => spec
                .Msg(1, a => a.Str(2, "list").Str(5, "pods")
                    .Msg(9, ls => ls.Msg(2, req => req.Str(1, "tier").Str(2, "In").Strs(3, "web", "db"))))
                .Str(3, "alice")
                .Strs(4, "devs")
                .Msg(5, e => e.Str(1, "scopes").Msg(2, v => v.Strs(1, "a", "b")))));

        AssertJson("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","metadata":{},
             "spec":{"resourceAttributes":{"verb":"list","resource":"pods",
                       "labelSelector":{"requirements":[{"key":"tier","operator":"In","values":["web","db"]}]}},
                     "user":"alice","groups":["devs"],"extra":{"scopes":["a","b"]}}}
            """, ProtobufDecoder.Decode(body));
    }
}
