using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>rbac.authorization.k8s.io/v1 RoleBindings: a Role or ClusterRole reference that never changes.</summary>
public sealed class RoleBindingStrategy : KubeStrategy<V1RoleBinding>
{
    public RoleBindingStrategy()
        : base("rbac.authorization.k8s.io/rolebindings")
    {
    }

    public override string? ValidateName(string name) => NameRules.PathSegment(name);

    protected override IEnumerable<FieldError> ValidateCreate(V1RoleBinding obj) =>
        RbacRules.ValidateRoleRef(obj.RoleRef, "Role", "ClusterRole").Concat(RbacRules.ValidateSubjects(obj.Subjects, namespaced: true));

    protected override IEnumerable<FieldError> ValidateUpdate(V1RoleBinding obj, V1RoleBinding old) =>
        ValidateCreate(obj).Concat(RbacRules.RoleRefUnchanged(obj.RoleRef, old.RoleRef));
}

/// <summary>rbac.authorization.k8s.io/v1 ClusterRoleBindings: a ClusterRole reference that never changes.</summary>
public sealed class ClusterRoleBindingStrategy : KubeStrategy<V1ClusterRoleBinding>
{
    public ClusterRoleBindingStrategy()
        : base("rbac.authorization.k8s.io/clusterrolebindings")
    {
    }

    public override string? ValidateName(string name) => NameRules.PathSegment(name);

    protected override IEnumerable<FieldError> ValidateCreate(V1ClusterRoleBinding obj) =>
        RbacRules.ValidateRoleRef(obj.RoleRef, "ClusterRole").Concat(RbacRules.ValidateSubjects(obj.Subjects, namespaced: false));

    protected override IEnumerable<FieldError> ValidateUpdate(V1ClusterRoleBinding obj, V1ClusterRoleBinding old) =>
        ValidateCreate(obj).Concat(RbacRules.RoleRefUnchanged(obj.RoleRef, old.RoleRef));
}
