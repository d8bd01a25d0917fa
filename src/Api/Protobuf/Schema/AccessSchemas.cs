using static KubeWeb.Api.Protobuf.Schema.Fields;

namespace KubeWeb.Api.Protobuf.Schema;

/// <summary>rbac.authorization.k8s.io/v1, authorization.k8s.io/v1 and authentication.k8s.io kinds.</summary>
internal static class AccessSchemas
{
    public static void Register(SchemaSet s)
    {
        RegisterRbac(s);
        RegisterAuthorization(s);
        RegisterAuthentication(s);
    }

    private static void RegisterRbac(SchemaSet s)
    {
        const string rbac = "rbac.authorization.k8s.io/v1";
        s.Message("PolicyRule",
            Strs(1, "verbs"),
            Strs(2, "apiGroups"),
            Strs(3, "resources"),
            Strs(4, "resourceNames"),
            Strs(5, "nonResourceURLs"));
        s.Message("Role", Msg(1, "metadata", "ObjectMeta"), List(2, "rules", "PolicyRule"));
        s.Kind(rbac, "Role", "Role");

        s.Message("ClusterRole",
            Msg(1, "metadata", "ObjectMeta"),
            List(2, "rules", "PolicyRule"),
            Msg(3, "aggregationRule", "AggregationRule"));
        s.Message("AggregationRule", List(1, "clusterRoleSelectors", "LabelSelector"));
        s.Kind(rbac, "ClusterRole", "ClusterRole");

        s.Message("Subject",
            Str(1, "kind").Keep(),
            Str(2, "apiGroup"),
            Str(3, "name").Keep(),
            Str(4, "namespace"));
        s.Message("RoleRef", Str(1, "apiGroup").Keep(), Str(2, "kind").Keep(), Str(3, "name").Keep());
        // RoleBinding and ClusterRoleBinding share one wire shape.
        s.Message("RoleBinding",
            Msg(1, "metadata", "ObjectMeta"),
            List(2, "subjects", "Subject"),
            Msg(3, "roleRef", "RoleRef"));
        s.Kind(rbac, "RoleBinding", "RoleBinding");
        s.Kind(rbac, "ClusterRoleBinding", "RoleBinding");
    }

    private static void RegisterAuthorization(SchemaSet s)
    {
        const string authz = "authorization.k8s.io/v1";
        s.Message("ResourceAttributes",
            Str(1, "namespace"),
            Str(2, "verb"),
            Str(3, "group"),
            Str(4, "version"),
            Str(5, "resource"),
            Str(6, "subresource"),
            Str(7, "name"),
            Msg(8, "fieldSelector", "FieldSelectorAttributes"),
            Msg(9, "labelSelector", "LabelSelectorAttributes"));
        s.Message("FieldSelectorAttributes", Str(1, "rawSelector"), List(2, "requirements", "FieldSelectorRequirement"));
        s.Message("LabelSelectorAttributes", Str(1, "rawSelector"), List(2, "requirements", "LabelSelectorRequirement"));
        s.Message("NonResourceAttributes", Str(1, "path"), Str(2, "verb"));
        s.Message("SubjectAccessReviewStatus",
            Bool(1, "allowed").Keep(),
            Bool(4, "denied"),
            Str(2, "reason"),
            Str(3, "evaluationError"));

        s.Message("SelfSubjectAccessReview",
            Msg(1, "metadata", "ObjectMeta"),
            Msg(2, "spec", "SelfSubjectAccessReviewSpec"),
            Msg(3, "status", "SubjectAccessReviewStatus"));
        s.Message("SelfSubjectAccessReviewSpec",
            Msg(1, "resourceAttributes", "ResourceAttributes"),
            Msg(2, "nonResourceAttributes", "NonResourceAttributes"));
        s.Kind(authz, "SelfSubjectAccessReview", "SelfSubjectAccessReview");

        // SubjectAccessReview and LocalSubjectAccessReview share one wire shape.
        s.Message("SubjectAccessReview",
            Msg(1, "metadata", "ObjectMeta"),
            Msg(2, "spec", "SubjectAccessReviewSpec"),
            Msg(3, "status", "SubjectAccessReviewStatus"));
        s.Message("SubjectAccessReviewSpec",
            Msg(1, "resourceAttributes", "ResourceAttributes"),
            Msg(2, "nonResourceAttributes", "NonResourceAttributes"),
            Str(3, "user"),
            Strs(4, "groups"),
            ExtraMap(5, "extra"),
            Str(6, "uid"));
        s.Kind(authz, "SubjectAccessReview", "SubjectAccessReview");
        s.Kind(authz, "LocalSubjectAccessReview", "SubjectAccessReview");

        s.Message("SelfSubjectRulesReview",
            Msg(1, "metadata", "ObjectMeta"),
            Msg(2, "spec", "SelfSubjectRulesReviewSpec"),
            Msg(3, "status", "SubjectRulesReviewStatus"));
        s.Message("SelfSubjectRulesReviewSpec", Str(1, "namespace"));
        s.Message("SubjectRulesReviewStatus",
            List(1, "resourceRules", "ResourceRule"),
            List(2, "nonResourceRules", "NonResourceRule"),
            Bool(3, "incomplete").Keep(),
            Str(4, "evaluationError"));
        s.Message("ResourceRule", Strs(1, "verbs"), Strs(2, "apiGroups"), Strs(3, "resources"), Strs(4, "resourceNames"));
        s.Message("NonResourceRule", Strs(1, "verbs"), Strs(2, "nonResourceURLs"));
        s.Kind(authz, "SelfSubjectRulesReview", "SelfSubjectRulesReview");
    }

    private static void RegisterAuthentication(SchemaSet s)
    {
        s.Message("UserInfo", Str(1, "username"), Str(2, "uid"), Strs(3, "groups"), ExtraMap(4, "extra"));

        s.Message("SelfSubjectReview", Msg(1, "metadata", "ObjectMeta"), Msg(2, "status", "SelfSubjectReviewStatus"));
        s.Message("SelfSubjectReviewStatus", Msg(1, "userInfo", "UserInfo"));
        // kubectl auth whoami falls back from v1 to the beta and alpha versions; the shape is the same.
        s.Kind("authentication.k8s.io/v1", "SelfSubjectReview", "SelfSubjectReview");
        s.Kind("authentication.k8s.io/v1beta1", "SelfSubjectReview", "SelfSubjectReview");
        s.Kind("authentication.k8s.io/v1alpha1", "SelfSubjectReview", "SelfSubjectReview");

        s.Message("TokenRequest",
            Msg(1, "metadata", "ObjectMeta"),
            Msg(2, "spec", "TokenRequestSpec"),
            Msg(3, "status", "TokenRequestStatus"));
        s.Message("TokenRequestSpec",
            Strs(1, "audiences"),
            I64(4, "expirationSeconds").Keep(),
            Msg(3, "boundObjectRef", "BoundObjectReference"));
        s.Message("BoundObjectReference", Str(1, "kind"), Str(2, "apiVersion"), Str(3, "name"), Str(4, "uid"));
        s.Message("TokenRequestStatus", Str(1, "token"), Time(2, "expirationTimestamp"));
        s.Kind("authentication.k8s.io/v1", "TokenRequest", "TokenRequest");

        s.Message("TokenReview",
            Msg(1, "metadata", "ObjectMeta"),
            Msg(2, "spec", "TokenReviewSpec"),
            Msg(3, "status", "TokenReviewStatus"));
        s.Message("TokenReviewSpec", Str(1, "token"), Strs(2, "audiences"));
        s.Message("TokenReviewStatus",
            Bool(1, "authenticated"),
            Msg(2, "user", "UserInfo"),
            Strs(4, "audiences"),
            Str(3, "error"));
        s.Kind("authentication.k8s.io/v1", "TokenReview", "TokenReview");
    }
}
