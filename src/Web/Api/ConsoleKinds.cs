using KubeWeb.Core.Resources;

namespace KubeWeb.Web.Api;

/// <summary>One kind the console lists, with the nav group and title it shows under.</summary>
public sealed record ConsoleKind(string Section, string Title, ResourceType Type)
{
    public string Plural => Type.Plural;

    public bool Namespaced => Type.Namespaced;

    public bool Scalable => Type.Subresources.Contains("scale");

    public string ListHref => $"/r/{Plural}";

    public string DetailHref(string? ns, string name) =>
        $"/r/{Plural}/{(Namespaced && !string.IsNullOrEmpty(ns) ? Uri.EscapeDataString(ns) : "-")}/{Uri.EscapeDataString(name)}";
}

/// <summary>The kinds in the nav drawer, in order, resolved against the shared resource registry.</summary>
public static class ConsoleKinds
{
    public static IReadOnlyList<ConsoleKind> All { get; } =
    [
        K("Cluster", "Nodes", "", "nodes"),
        K("Cluster", "Namespaces", "", "namespaces"),
        K("Cluster", "Events", "", "events"),
        K("Workloads", "Pods", "", "pods"),
        K("Workloads", "Deployments", "apps", "deployments"),
        K("Workloads", "ReplicaSets", "apps", "replicasets"),
        K("Workloads", "StatefulSets", "apps", "statefulsets"),
        K("Workloads", "DaemonSets", "apps", "daemonsets"),
        K("Workloads", "Jobs", "batch", "jobs"),
        K("Workloads", "CronJobs", "batch", "cronjobs"),
        K("Workloads", "HPAs", "autoscaling", "horizontalpodautoscalers"),
        K("Workloads", "PDBs", "policy", "poddisruptionbudgets"),
        K("Network", "Services", "", "services"),
        K("Network", "Endpoints", "", "endpoints"),
        K("Network", "Ingresses", "networking.k8s.io", "ingresses"),
        K("Config", "ConfigMaps", "", "configmaps"),
        K("Config", "Secrets", "", "secrets"),
        K("Storage", "PVCs", "", "persistentvolumeclaims"),
        K("Storage", "PVs", "", "persistentvolumes"),
    ];

    public static ConsoleKind? ByPlural(string plural) => All.FirstOrDefault(k => k.Plural == plural);

    /// <summary>The console kind for an apiVersion/kind pair (owner references, involved objects).</summary>
    public static ConsoleKind? ByKind(string? apiVersion, string? kind)
    {
        if (kind is null)
        {
            return null;
        }

        var group = apiVersion is null || !apiVersion.Contains('/') ? "" : apiVersion[..apiVersion.IndexOf('/')];
        return All.FirstOrDefault(k => k.Type.Kind == kind && k.Type.Group == group);
    }

    private static ConsoleKind K(string section, string title, string group, string plural)
    {
        var type = ResourceRegistry.Default.All.FirstOrDefault(t => t.Group == group && t.Plural == plural)
            ?? throw new InvalidOperationException($"The resource registry has no {plural}.{group}.");
        return new ConsoleKind(section, title, type);
    }
}
