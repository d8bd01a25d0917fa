using k8s.Models;

namespace KubeWeb.Core.Resources;

/// <summary>Every resource KubeWeb serves. Adding a kind is one entry here plus its strategy.</summary>
public sealed class ResourceRegistry
{
    private readonly Dictionary<(string Group, string Version, string Plural), ResourceType> _byPath = [];
    private readonly Dictionary<(string Group, string Kind), ResourceType> _byKind = [];

    public ResourceRegistry(IEnumerable<ResourceType> types)
    {
        All = [.. types];
        foreach (var t in All)
        {
            _byPath[(t.Group, t.Version, t.Plural)] = t;
            _byKind.TryAdd((t.Group, t.Kind), t);
        }

        GroupVersions = [.. All.Select(t => (t.Group, t.Version)).Distinct()];
    }

    public static ResourceRegistry Default { get; } = new(BuiltIn());

    public IReadOnlyList<ResourceType> All { get; }

    /// <summary>Group/versions in registration order; the first version of a group is preferred.</summary>
    public IReadOnlyList<(string Group, string Version)> GroupVersions { get; }

    public ResourceType? Find(string group, string version, string plural) =>
        _byPath.GetValueOrDefault((group, version, plural));

    /// <summary>The preferred (first registered) version of a kind.</summary>
    public ResourceType? FindByKind(string group, string kind) => _byKind.GetValueOrDefault((group, kind));

    public ResourceType? FindByApiVersionKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Kind == kind);
    }

    /// <summary>Every served version that stores into <paramref name="storageResource"/>.</summary>
    public IEnumerable<ResourceType> ServedFrom(string storageResource) =>
        All.Where(t => t.StorageResource == storageResource);

    private static IEnumerable<ResourceType> BuiltIn()
    {
        string[] status = ["status"];
        string[] all = ["all"];

        // core/v1
        yield return R<V1Namespace>("", "v1", "namespaces", false, ["ns"], sub: ["status", "finalize"]);
        yield return R<V1Pod>("", "v1", "pods", true, ["po"], all, ["status", "binding", "eviction", "log", "exec", "attach", "portforward"]);
        yield return R<V1Service>("", "v1", "services", true, ["svc"], all, status);
        yield return R<V1Endpoints>("", "v1", "endpoints", true, ["ep"]);
        yield return R<V1ConfigMap>("", "v1", "configmaps", true, ["cm"]);
        yield return R<V1Secret>("", "v1", "secrets", true);
        yield return R<V1ServiceAccount>("", "v1", "serviceaccounts", true, ["sa"], sub: ["token"]);
        yield return R<V1Node>("", "v1", "nodes", false, ["no"], sub: status);
        yield return R<Corev1Event>("", "v1", "events", true, ["ev"]);
        yield return R<V1PersistentVolume>("", "v1", "persistentvolumes", false, ["pv"], sub: status);
        yield return R<V1PersistentVolumeClaim>("", "v1", "persistentvolumeclaims", true, ["pvc"], sub: status);
        yield return R<V1ResourceQuota>("", "v1", "resourcequotas", true, ["quota"], sub: status);
        yield return R<V1LimitRange>("", "v1", "limitranges", true, ["limits"]);

        // apps/v1
        yield return R<V1Deployment>("apps", "v1", "deployments", true, ["deploy"], all, ["status", "scale"]);
        yield return R<V1ReplicaSet>("apps", "v1", "replicasets", true, ["rs"], all, ["status", "scale"]);
        yield return R<V1StatefulSet>("apps", "v1", "statefulsets", true, ["sts"], all, ["status", "scale"]);
        yield return R<V1DaemonSet>("apps", "v1", "daemonsets", true, ["ds"], all, status);
        yield return R<V1ControllerRevision>("apps", "v1", "controllerrevisions", true);

        // batch/v1
        yield return R<V1Job>("batch", "v1", "jobs", true, categories: all, sub: status);
        yield return R<V1CronJob>("batch", "v1", "cronjobs", true, ["cj"], all, status);

        // autoscaling: v2 is the storage version, v1 is served from it.
        yield return R<V2HorizontalPodAutoscaler>("autoscaling", "v2", "horizontalpodautoscalers", true, ["hpa"], all, status);
        yield return R<V1HorizontalPodAutoscaler>("autoscaling", "v1", "horizontalpodautoscalers", true, ["hpa"], all, status)
            with { StorageOverride = "autoscaling/horizontalpodautoscalers" };

        yield return R<V1Lease>("coordination.k8s.io", "v1", "leases", true);
        yield return R<V1PodDisruptionBudget>("policy", "v1", "poddisruptionbudgets", true, ["pdb"], sub: status);
        yield return R<V1PriorityClass>("scheduling.k8s.io", "v1", "priorityclasses", false, ["pc"]);
        yield return R<V1EndpointSlice>("discovery.k8s.io", "v1", "endpointslices", true);
        yield return R<V1Ingress>("networking.k8s.io", "v1", "ingresses", true, ["ing"], sub: status);
        yield return R<V1IngressClass>("networking.k8s.io", "v1", "ingressclasses", false);
        yield return R<V1StorageClass>("storage.k8s.io", "v1", "storageclasses", false, ["sc"]);

        yield return R<V1Role>("rbac.authorization.k8s.io", "v1", "roles", true);
        yield return R<V1ClusterRole>("rbac.authorization.k8s.io", "v1", "clusterroles", false);
        yield return R<V1RoleBinding>("rbac.authorization.k8s.io", "v1", "rolebindings", true);
        yield return R<V1ClusterRoleBinding>("rbac.authorization.k8s.io", "v1", "clusterrolebindings", false);

        // Reviews: create-only, answered by the server and never stored.
        string[] createOnly = ["create"];
        yield return R<V1SelfSubjectAccessReview>("authorization.k8s.io", "v1", "selfsubjectaccessreviews", false) with { Verbs = createOnly };
        yield return R<V1SelfSubjectRulesReview>("authorization.k8s.io", "v1", "selfsubjectrulesreviews", false) with { Verbs = createOnly };
        yield return R<V1SelfSubjectReview>("authentication.k8s.io", "v1", "selfsubjectreviews", false) with { Verbs = createOnly };

        // events.k8s.io/v1 shares the core Event storage.
        yield return R<Eventsv1Event>("events.k8s.io", "v1", "events", true, ["ev"]) with { StorageOverride = "events" };
    }

    private static ResourceType R<T>(
        string group, string version, string plural, bool namespaced,
        string[]? shortNames = null, string[]? categories = null, string[]? sub = null) =>
        new()
        {
            Group = group,
            Version = version,
            Plural = plural,
            Namespaced = namespaced,
            ClrType = typeof(T),
            Kind = (string)typeof(T).GetField("KubeKind")!.GetValue(null)!,
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            Subresources = sub ?? [],
        };
}
