using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>rbac.authorization.k8s.io/v1 Roles: every rule needs verbs and either resources or URLs.</summary>
public sealed class RoleStrategy : KubeStrategy<V1Role>
{
    public RoleStrategy()
        : base("rbac.authorization.k8s.io/roles")
    {
    }

    public override string? ValidateName(string name) => NameRules.PathSegment(name);

    protected override IEnumerable<FieldError> ValidateCreate(V1Role obj) => RbacRules.ValidateRules(obj.Rules, namespaced: true);
}

/// <summary>rbac.authorization.k8s.io/v1 ClusterRoles: as Roles, plus URL rules and aggregation.</summary>
public sealed class ClusterRoleStrategy : KubeStrategy<V1ClusterRole>
{
    public ClusterRoleStrategy()
        : base("rbac.authorization.k8s.io/clusterroles")
    {
    }

    public override string? ValidateName(string name) => NameRules.PathSegment(name);

    protected override IEnumerable<FieldError> ValidateCreate(V1ClusterRole obj)
    {
        var errors = RbacRules.ValidateRules(obj.Rules, namespaced: false).ToList();
        if (obj.AggregationRule is { } aggregation)
        {
            if (aggregation.ClusterRoleSelectors is not { Count: > 0 })
            {
                errors.Add(FieldError.Required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil"));
            }

            var i = 0;
            foreach (var selector in aggregation.ClusterRoleSelectors ?? [])
            {
                errors.AddRange(Checks.LabelSelector(selector, Checks.Index("aggregationRule.clusterRoleSelectors", i++)));
            }
        }

        return errors;
    }
}

/// <summary>Rule and subject checks shared by the four RBAC kinds.</summary>
internal static class RbacRules
{
    public const string Group = "rbac.authorization.k8s.io";

    public static IEnumerable<FieldError> ValidateRules(IList<V1PolicyRule>? rules, bool namespaced)
    {
        var i = 0;
        foreach (var rule in rules ?? [])
        {
            var at = Checks.Index("rules", i++);
            if (rule.Verbs is not { Count: > 0 })
            {
                yield return FieldError.Required(at + ".verbs", "verbs must contain at least one value");
            }

            if (rule.NonResourceURLs is { Count: > 0 })
            {
                if (namespaced)
                {
                    yield return FieldError.Invalid(at + ".nonResourceURLs", string.Join(",", rule.NonResourceURLs), "namespaced rules cannot apply to non-resource URLs");
                }

                if (rule.ApiGroups is { Count: > 0 } || rule.Resources is { Count: > 0 })
                {
                    yield return FieldError.Invalid(at + ".nonResourceURLs", string.Join(",", rule.NonResourceURLs), "rules cannot apply to both regular resources and non-resource URLs");
                }

                continue;
            }

            if (rule.ApiGroups is not { Count: > 0 })
            {
                yield return FieldError.Required(at + ".apiGroups", "resource rules must supply at least one api group");
            }

            if (rule.Resources is not { Count: > 0 })
            {
                yield return FieldError.Required(at + ".resources", "resource rules must supply at least one resource");
            }
        }
    }

    public static IEnumerable<FieldError> ValidateRoleRef(V1RoleRef? roleRef, params string[] kinds)
    {
        if (roleRef is null)
        {
            yield return FieldError.Required("roleRef");
            yield break;
        }

        if (roleRef.ApiGroup != Group)
        {
            yield return FieldError.NotSupported("roleRef.apiGroup", roleRef.ApiGroup ?? "", [Group]);
        }

        if (!kinds.Contains(roleRef.Kind))
        {
            yield return FieldError.NotSupported("roleRef.kind", roleRef.Kind ?? "", kinds);
        }

        foreach (var e in Checks.Name(roleRef.Name, "roleRef.name", NameRules.PathSegment))
        {
            yield return e;
        }
    }

    public static IEnumerable<FieldError> ValidateSubjects(IList<Rbacv1Subject>? subjects, bool namespaced)
    {
        var i = 0;
        foreach (var s in subjects ?? [])
        {
            var at = Checks.Index("subjects", i++);
            switch (s.Kind)
            {
                case "ServiceAccount":
                    foreach (var e in Checks.Name(s.Name, at + ".name", NameRules.Subdomain))
                    {
                        yield return e;
                    }

                    if (!string.IsNullOrEmpty(s.ApiGroup))
                    {
                        yield return FieldError.NotSupported(at + ".apiGroup", s.ApiGroup, [""]);
                    }

                    if (!namespaced && string.IsNullOrEmpty(s.NamespaceProperty))
                    {
                        yield return FieldError.Required(at + ".namespace");
                    }

                    break;
                case "User" or "Group":
                    if (string.IsNullOrEmpty(s.Name))
                    {
                        yield return FieldError.Required(at + ".name");
                    }

                    if (s.ApiGroup != Group)
                    {
                        yield return FieldError.NotSupported(at + ".apiGroup", s.ApiGroup ?? "", [Group]);
                    }

                    break;
                default:
                    yield return FieldError.NotSupported(at + ".kind", s.Kind ?? "", ["ServiceAccount", "User", "Group"]);
                    break;
            }
        }
    }

    public static IEnumerable<FieldError> RoleRefUnchanged(V1RoleRef? roleRef, V1RoleRef? old)
    {
        if (!Checks.Same(roleRef, old))
        {
            yield return FieldError.Invalid("roleRef", Checks.Show(roleRef), "cannot change roleRef");
        }
    }
}
