using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Metrics;

/// <summary>
/// The <c>metrics.k8s.io/v1beta1</c> resources, as metrics-server registers them: read-only
/// (get, list), served from <see cref="MetricsStore"/> rather than the object store, so they are
/// listed in discovery but are not part of the resource registry.
/// </summary>
public static class MetricsResources
{
    public const string Group = "metrics.k8s.io";
    public const string Version = "v1beta1";
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>Where the console reads usage history (see <see cref="MetricsEndpoints"/>).</summary>
    public const string HistoryGroupVersion = "metrics.kubeweb.io/v1alpha1";

    public static readonly ResourceType Nodes = new()
    {
        Group = Group,
        Version = Version,
        Kind = "NodeMetrics",
        Plural = "nodes",
        Namespaced = false,
        ClrType = typeof(k8s.Models.NodeMetrics),
        Verbs = ["get", "list"],
    };

    public static readonly ResourceType Pods = new()
    {
        Group = Group,
        Version = Version,
        Kind = "PodMetrics",
        Plural = "pods",
        Namespaced = true,
        ClrType = typeof(k8s.Models.PodMetrics),
        Verbs = ["get", "list"],
    };

    public static IReadOnlyList<ResourceType> All { get; } = [Nodes, Pods];
}
