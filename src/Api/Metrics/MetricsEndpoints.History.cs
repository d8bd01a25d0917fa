using System.Globalization;
using System.Text.Json;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Metrics;

/// <summary>
/// <c>GET /apis/metrics.kubeweb.io/v1alpha1/nodes[/NAME]</c>, <c>.../pods</c> and
/// <c>.../namespaces/NS/pods[/NAME]</c>: the last 15 minutes of samples (oldest first) of a node
/// or pod, or of every one matching the list's selectors, for the console's charts. Each sample
/// has metrics.k8s.io's shape (<c>timestamp</c>, <c>window</c>, <c>usage</c>; pods also
/// <c>containers</c>); <c>?sinceSeconds=N</c> keeps only the last N seconds. Read-only.
/// </summary>
public static partial class MetricsEndpoints
{
    private static Task ServeHistoryAsync(HttpContext ctx, string? rest, MetricsStore metrics, ObjectStore store, DateTime now)
    {
        var (info, type) = Resolve(ctx, "metrics.kubeweb.io", "v1alpha1", rest);
        var (labels, fields) = Selectors(ctx.Request);
        var since = SinceSeconds(ctx.Request) is { } seconds ? now.AddSeconds(-seconds) : DateTime.MinValue;
        if (type == MetricsResources.Nodes)
        {
            var names = info.Name is { } one ? [one] : metrics.NodeNames().Order(StringComparer.Ordinal).ToList();
            var nodes = names
                .Select(n => (Node: store.Get("nodes", "", n)?.Object, History: metrics.NodeHistory(n)))
                .Where(n => n.Node is not null && n.History is not null && Matches(n.Node, labels, fields))
                .ToList();
            if (info.Name is { } name)
            {
                return nodes.Count == 0 ? throw NotFound(type, name) : WriteAsync(ctx, w => WriteNodeHistory(w, nodes[0].Node!, nodes[0].History!, since, withType: true));
            }

            return WriteListAsync(ctx, "NodeMetricsHistoryList", nodes, (w, n) => WriteNodeHistory(w, n.Node!, n.History!, since, withType: false), MetricsResources.HistoryGroupVersion);
        }

        var keys = info.Name is { } podName ? [(info.Namespace!, podName)] : metrics.PodKeys(info.Namespace).OrderBy(k => k.Namespace, StringComparer.Ordinal).ThenBy(k => k.Name, StringComparer.Ordinal).ToList();
        var pods = keys
            .Select(k => (Pod: store.Get("pods", k.Item1, k.Item2)?.Object, History: metrics.PodHistory(k.Item1, k.Item2)))
            .Where(p => p.Pod is not null && p.History is { } h && h.Uid == p.Pod.Metadata.Uid && Matches(p.Pod, labels, fields))
            .ToList();
        if (info.Name is { } single)
        {
            return pods.Count == 0 ? throw NotFound(type, single, info.Namespace) : WriteAsync(ctx, w => WritePodHistory(w, pods[0].Pod!, pods[0].History!.Value.Samples, since, withType: true));
        }

        return WriteListAsync(ctx, "PodMetricsHistoryList", pods, (w, p) => WritePodHistory(w, p.Pod!, p.History!.Value.Samples, since, withType: false), MetricsResources.HistoryGroupVersion);
    }

    private static double? SinceSeconds(HttpRequest request)
    {
        var text = request.Query["sinceSeconds"].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : throw ApiError.BadRequest($"sinceSeconds must be a positive number of seconds, not \"{text}\"");
    }

    private static void WriteNodeHistory(Utf8JsonWriter w, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> node, IReadOnlyList<NodeUsageSample> samples, DateTime since, bool withType)
    {
        w.WriteStartObject();
        if (withType)
        {
            w.WriteString("kind", "NodeMetricsHistory");
            w.WriteString("apiVersion", MetricsResources.HistoryGroupVersion);
        }

        w.WriteStartObject("metadata");
        w.WriteString("name", node.Metadata.Name);
        w.WriteEndObject();
        w.WriteStartArray("samples");
        foreach (var s in samples.Where(s => s.Timestamp >= since))
        {
            w.WriteStartObject();
            w.WriteString("timestamp", MetricsFormat.Time(s.Timestamp));
            w.WriteString("window", MetricsFormat.Window(s.WindowSeconds));
            WriteUsage(w, s.CpuNanoCores, s.MemoryBytes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WritePodHistory(Utf8JsonWriter w, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> pod, IReadOnlyList<PodUsageSample> samples, DateTime since, bool withType)
    {
        w.WriteStartObject();
        if (withType)
        {
            w.WriteString("kind", "PodMetricsHistory");
            w.WriteString("apiVersion", MetricsResources.HistoryGroupVersion);
        }

        w.WriteStartObject("metadata");
        w.WriteString("name", pod.Metadata.Name);
        w.WriteString("namespace", pod.Metadata.NamespaceProperty);
        w.WriteString("uid", pod.Metadata.Uid);
        w.WriteEndObject();
        w.WriteStartArray("samples");
        foreach (var s in samples.Where(s => s.Timestamp >= since))
        {
            w.WriteStartObject();
            w.WriteString("timestamp", MetricsFormat.Time(s.Timestamp));
            w.WriteString("window", MetricsFormat.Window(s.WindowSeconds));
            WriteUsage(w, s.CpuNanoCores, s.MemoryBytes);
            WriteContainers(w, s.Containers);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
