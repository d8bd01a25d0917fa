using System.Text.Json;
using k8s.Models;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Serialization;
using KubeWeb.Web.Api;
using KubeWeb.Web.State;

namespace KubeWeb.Web.Metrics;

/// <summary>
/// Reads <c>/apis/metrics.k8s.io/v1beta1/nodes</c> and <c>/pods</c> (all namespaces) in the shapes
/// metrics-server serves (NodeMetricsList, PodMetricsList). A 404 means no metrics API.
/// </summary>
internal sealed class ApiMetricsSource(ConsoleSession session) : IMetricsSource
{
    public const string GroupVersion = "apis/metrics.k8s.io/v1beta1";

    public async Task<MetricsReading> ReadAsync(CancellationToken ct)
    {
        var api = await session.GetApiAsync();
        return Parse(await GetAsync(api, "nodes", ct), await GetAsync(api, "pods", ct));
    }

    /// <summary>A NodeMetricsList and a PodMetricsList (JSON, as metrics-server serves them) as one reading.</summary>
    internal static MetricsReading Parse(string nodesJson, string podsJson)
    {
        var nodes = JsonSerializer.Deserialize<NodeMetricsList>(nodesJson, KubeJson.Options) ?? new NodeMetricsList();
        var pods = JsonSerializer.Deserialize<PodMetricsList>(podsJson, KubeJson.Options) ?? new PodMetricsList();
        var containers = pods.Items.ToDictionary(Key,
            p => (IReadOnlyList<(string, UsageSample)>)[.. p.Containers.Select(c => (c.Name, UsageSample.From(p.Timestamp, c.Usage)))]);
        return new MetricsReading(
            nodes.Items.ToDictionary(n => n.Metadata.Name, n => UsageSample.From(n.Timestamp, n.Usage)),
            pods.Items.ToDictionary(Key, p => p.Containers.Aggregate(new UsageSample(p.Timestamp, 0, 0), (sum, c) => sum + UsageSample.From(p.Timestamp, c.Usage))),
            containers);
    }

    public const string HistoryGroupVersion = "apis/metrics.kubeweb.io/v1alpha1";

    public async Task<IReadOnlyList<UsageSample>> ReadHistoryAsync(string key, CancellationToken ct)
    {
        var parts = key.Split('/');
        var path = parts switch
        {
            ["node", var node] => $"nodes/{Uri.EscapeDataString(node)}",
            ["pod", var ns, var pod] => $"namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}",
            _ => null,
        };
        if (path is null)
        {
            return [];
        }

        var api = await session.GetApiAsync();
        try
        {
            return ParseHistory(await api.GetRawAsync($"{HistoryGroupVersion}/{path}", ct));
        }
        catch (ApiStatusException e) when (e.Status.Code == 404)
        {
            // No history kept (another API server, or the object has no samples yet).
            return [];
        }
    }

    /// <summary>A NodeMetricsHistory or PodMetricsHistory: per sample the node's usage or the sum of the pod's containers.</summary>
    internal static IReadOnlyList<UsageSample> ParseHistory(string json)
    {
        var history = JsonSerializer.Deserialize<MetricsHistoryDocument>(json, KubeJson.Options);
        return [.. (history?.Samples ?? []).Select(s => s.Containers is { Count: > 0 } containers
            ? containers.Aggregate(new UsageSample(s.Timestamp, 0, 0), (sum, c) => sum + UsageSample.From(s.Timestamp, c.Usage))
            : UsageSample.From(s.Timestamp, s.Usage))];
    }

    private sealed class MetricsHistoryDocument
    {
        public List<HistorySample> Samples { get; set; } = [];
    }

    private sealed class HistorySample
    {
        public DateTimeOffset Timestamp { get; set; }

        public Dictionary<string, ResourceQuantity>? Usage { get; set; }

        public List<ContainerMetrics>? Containers { get; set; }
    }

    private static string Key(PodMetrics p) => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}";

    private static async Task<string> GetAsync(ConsoleApi api, string plural, CancellationToken ct)
    {
        try
        {
            return await api.GetRawAsync($"{GroupVersion}/{plural}", ct);
        }
        catch (ApiStatusException e) when (e.Status.Code == 404)
        {
            throw new MetricsNotAvailableException($"the API does not serve {GroupVersion} (no metrics server)");
        }
    }

    private sealed class NodeMetricsList
    {
        public List<NodeMetrics> Items { get; set; } = [];
    }

    private sealed class NodeMetrics
    {
        public V1ObjectMeta Metadata { get; set; } = new();

        public DateTimeOffset Timestamp { get; set; }

        public Dictionary<string, ResourceQuantity>? Usage { get; set; }
    }

    private sealed class PodMetricsList
    {
        public List<PodMetrics> Items { get; set; } = [];
    }

    private sealed class PodMetrics
    {
        public V1ObjectMeta Metadata { get; set; } = new();

        public DateTimeOffset Timestamp { get; set; }

        public List<ContainerMetrics> Containers { get; set; } = [];
    }

    private sealed class ContainerMetrics
    {
        public string Name { get; set; } = "";

        public Dictionary<string, ResourceQuantity>? Usage { get; set; }
    }
}
