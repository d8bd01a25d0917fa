namespace KubeWeb.Web.Metrics;

/// <summary>Where usage comes from: the API's metrics.k8s.io/v1beta1, as the signed-in user.</summary>
public interface IMetricsSource
{
    /// <summary>
    /// Every node's and pod's current usage. Throws <see cref="MetricsNotAvailableException"/> when
    /// the API does not serve metrics.k8s.io (404, no metrics server), other exceptions when it fails.
    /// </summary>
    Task<MetricsReading> ReadAsync(CancellationToken ct);

    /// <summary>
    /// The recent usage of one node or pod (<see cref="MetricsHistory.NodeKey"/>,
    /// <see cref="MetricsHistory.PodKey"/>), oldest first, when the API keeps a history
    /// (KubeWeb's <c>metrics.kubeweb.io</c>); empty when it does not.
    /// </summary>
    Task<IReadOnlyList<UsageSample>> ReadHistoryAsync(string key, CancellationToken ct) => Task.FromResult<IReadOnlyList<UsageSample>>([]);
}

/// <summary>One poll: usage per node name and per pod (<c>namespace/name</c>), with each pod's containers.</summary>
public sealed record MetricsReading(
    IReadOnlyDictionary<string, UsageSample> Nodes,
    IReadOnlyDictionary<string, UsageSample> Pods,
    IReadOnlyDictionary<string, IReadOnlyList<(string Container, UsageSample Usage)>> Containers);

public sealed class MetricsNotAvailableException(string message) : Exception(message);
