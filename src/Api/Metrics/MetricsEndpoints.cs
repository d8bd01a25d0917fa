using System.Buffers;
using System.Text.Json;
using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Selectors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KubeWeb.Api.Metrics;

/// <summary>
/// Serves <c>metrics.k8s.io/v1beta1</c> NodeMetrics and PodMetrics from <see cref="MetricsStore"/>,
/// shaped as metrics-server does (what <c>kubectl top</c> and the HPA read): get and list, across
/// or within namespaces, with label selectors (on the node's or pod's labels) and
/// <c>metadata.name</c>/<c>metadata.namespace</c> field selectors. Only objects the API still has
/// are served. Also the read-only usage history for the console under
/// <see cref="MetricsResources.HistoryGroupVersion"/> (<c>.History</c>).
/// </summary>
public static partial class MetricsEndpoints
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods($"/apis/{MetricsResources.ApiVersion}/{{**rest}}", Methods, (HttpContext ctx, string? rest, MetricsStore metrics, ObjectStore store, TimeProvider time, Discovery.DiscoveryDocuments discovery) =>
            string.IsNullOrEmpty(rest) && ctx.Request.Method == "GET"
                // This route outranks /apis/{group}/{version}: serve the group version's resource list here.
                ? Responses.WriteRawAsync(ctx, 200, JsonSerializer.SerializeToUtf8Bytes(discovery.ResourceList(MetricsResources.Group, MetricsResources.Version)))
                : GuardAsync(ctx, () => ServeAsync(ctx, rest, metrics, store, time.GetUtcNow().UtcDateTime)));
        app.MapMethods($"/apis/{MetricsResources.HistoryGroupVersion}/{{**rest}}", Methods, (HttpContext ctx, string? rest, MetricsStore metrics, ObjectStore store, TimeProvider time) =>
            GuardAsync(ctx, () => ServeHistoryAsync(ctx, rest, metrics, store, time.GetUtcNow().UtcDateTime)));
        return app;
    }

    private static Task ServeAsync(HttpContext ctx, string? rest, MetricsStore metrics, ObjectStore store, DateTime now)
    {
        var (info, type) = Resolve(ctx, MetricsResources.Group, MetricsResources.Version, rest);
        var (labels, fields) = Selectors(ctx.Request);
        if (type == MetricsResources.Nodes)
        {
            if (info.Name is { } name)
            {
                var node = store.Get("nodes", "", name)?.Object;
                var usage = metrics.Node(name);
                return node is null || usage is null
                    ? throw NotFound(type, name)
                    : TableWriter.Wants(ctx.Request.Headers.Accept)
                        ? WriteTableAsync(ctx, [new TableRow(node.Metadata, usage.CpuNanoCores, usage.MemoryBytes, usage.WindowSeconds, w => WriteNode(w, node, usage, now, withType: true))])
                        : WriteAsync(ctx, w => WriteNode(w, node, usage, now, withType: true));
            }

            var nodes = metrics.Nodes()
                .Select(n => (Node: store.Get("nodes", "", n.Name)?.Object, n.Usage))
                .Where(n => n.Node is not null && Matches(n.Node, labels, fields))
                .OrderBy(n => n.Node!.Metadata.Name, StringComparer.Ordinal)
                .ToList();
            return TableWriter.Wants(ctx.Request.Headers.Accept)
                ? WriteTableAsync(ctx, nodes.Select(n => new TableRow(n.Node!.Metadata, n.Usage.CpuNanoCores, n.Usage.MemoryBytes, n.Usage.WindowSeconds, w => WriteNode(w, n.Node!, n.Usage, now, withType: true))))
                : WriteListAsync(ctx, "NodeMetricsList", nodes, (w, n) => WriteNode(w, n.Node!, n.Usage, now, withType: false));
        }

        if (info.Name is { } podName)
        {
            var ns = info.Namespace!;
            var current = metrics.Pod(ns, podName);
            var pod = store.Get("pods", ns, podName)?.Object;
            return current is not { } c || pod is null || pod.Metadata.Uid != c.Uid
                ? throw NotFound(type, podName, ns)
                : TableWriter.Wants(ctx.Request.Headers.Accept)
                    ? WriteTableAsync(ctx, [new TableRow(pod.Metadata, c.Usage.CpuNanoCores, c.Usage.MemoryBytes, c.Usage.WindowSeconds, w => WritePod(w, pod, c.Usage, now, withType: true))])
                    : WriteAsync(ctx, w => WritePod(w, pod, c.Usage, now, withType: true));
        }

        var pods = metrics.Pods(info.Namespace)
            .Select(p => (Pod: store.Get("pods", p.Namespace, p.Name)?.Object, p.Uid, p.Usage))
            .Where(p => p.Pod is not null && p.Pod.Metadata.Uid == p.Uid && Matches(p.Pod, labels, fields))
            .OrderBy(p => p.Pod!.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Pod!.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        return TableWriter.Wants(ctx.Request.Headers.Accept)
            ? WriteTableAsync(ctx, pods.Select(p => new TableRow(p.Pod!.Metadata, p.Usage.CpuNanoCores, p.Usage.MemoryBytes, p.Usage.WindowSeconds, w => WritePod(w, p.Pod!, p.Usage, now, withType: true))))
            : WriteListAsync(ctx, "PodMetricsList", pods, (w, p) => WritePod(w, p.Pod!, p.Usage, now, withType: false));
    }

    /// <summary>The resource a path names; only GET (no watch) is served, as by metrics-server.</summary>
    private static (RequestInfo Info, ResourceType Type) Resolve(HttpContext ctx, string group, string version, string? rest)
    {
        var info = RequestInfo.Parse(group, version, rest) ?? throw NotFoundPath();
        var type = MetricsResources.All.FirstOrDefault(t => t.Plural == info.Resource) ?? throw NotFoundPath();
        if (info.Subresource is not null || (!type.Namespaced && info.Namespace is not null))
        {
            throw NotFoundPath();
        }

        if (ctx.Request.Method != "GET" || ctx.Request.Query["watch"] is var watch && watch is ["true" or "1"])
        {
            throw ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource ({ctx.Request.Method} {type.GroupResource})");
        }

        return (info, type);
    }

    private static (LabelSelector Labels, FieldSelector Fields) Selectors(HttpRequest request)
    {
        var (labels, fields) = ListQuery.ParseSelectors(request);
        if (fields.Requirements.FirstOrDefault(r => r.Field is not ("metadata.name" or "metadata.namespace")) is { } unsupported)
        {
            throw ApiError.BadRequest($"field label not supported: {unsupported.Field}");
        }

        return (labels, fields);
    }

    private static bool Matches(k8s.IKubernetesObject<V1ObjectMeta> obj, LabelSelector labels, FieldSelector fields) =>
        (labels.IsEmpty || labels.Matches(obj.Metadata.Labels)) &&
        (fields.IsEmpty || fields.Matches(f => f switch
        {
            "metadata.name" => obj.Metadata.Name,
            "metadata.namespace" => obj.Metadata.NamespaceProperty ?? "",
            _ => null,
        }));

    private static void WriteNode(Utf8JsonWriter w, k8s.IKubernetesObject<V1ObjectMeta> node, NodeUsageSample usage, DateTime now, bool withType)
    {
        w.WriteStartObject();
        if (withType)
        {
            w.WriteString("kind", "NodeMetrics");
            w.WriteString("apiVersion", MetricsResources.ApiVersion);
        }

        WriteMeta(w, node.Metadata, now);
        w.WriteString("timestamp", MetricsFormat.Time(usage.Timestamp));
        w.WriteString("window", MetricsFormat.Window(usage.WindowSeconds));
        WriteUsage(w, usage.CpuNanoCores, usage.MemoryBytes);
        w.WriteEndObject();
    }

    private static void WritePod(Utf8JsonWriter w, k8s.IKubernetesObject<V1ObjectMeta> pod, PodUsageSample usage, DateTime now, bool withType)
    {
        w.WriteStartObject();
        if (withType)
        {
            w.WriteString("kind", "PodMetrics");
            w.WriteString("apiVersion", MetricsResources.ApiVersion);
        }

        WriteMeta(w, pod.Metadata, now);
        w.WriteString("timestamp", MetricsFormat.Time(usage.Timestamp));
        w.WriteString("window", MetricsFormat.Window(usage.WindowSeconds));
        WriteContainers(w, usage.Containers);
        w.WriteEndObject();
    }

    private static void WriteContainers(Utf8JsonWriter w, IReadOnlyList<Core.Agents.ContainerUsage> containers)
    {
        w.WriteStartArray("containers");
        foreach (var c in containers)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            WriteUsage(w, c.CpuNanoCores, c.MemoryBytes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>As metrics-server: the object's name, namespace and labels, created "now" (metrics are not stored objects).</summary>
    private static void WriteMeta(Utf8JsonWriter w, V1ObjectMeta meta, DateTime now)
    {
        w.WriteStartObject("metadata");
        w.WriteString("name", meta.Name);
        if (meta.NamespaceProperty is { Length: > 0 } ns)
        {
            w.WriteString("namespace", ns);
        }

        w.WriteString("creationTimestamp", MetricsFormat.Time(now));
        if (meta.Labels is { Count: > 0 } labels)
        {
            w.WriteStartObject("labels");
            foreach (var (k, v) in labels)
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, long cpu, long memory)
    {
        w.WriteStartObject("usage");
        w.WriteString("cpu", MetricsFormat.Cpu(cpu));
        w.WriteString("memory", MetricsFormat.Memory(memory));
        w.WriteEndObject();
    }

    private static Task WriteListAsync<T>(HttpContext ctx, string kind, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write, string apiVersion = MetricsResources.ApiVersion) =>
        WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("kind", kind);
            w.WriteString("apiVersion", apiVersion);
            w.WriteStartObject("metadata");
            w.WriteEndObject();
            w.WriteStartArray("items");
            foreach (var item in items)
            {
                write(w, item);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static async Task WriteAsync(HttpContext ctx, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        await using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        await Responses.WriteRawAsync(ctx, 200, buffer.WrittenMemory);
    }

    private static async Task GuardAsync(HttpContext ctx, Func<Task> serve)
    {
        try
        {
            await serve();
        }
        catch (ApiError e)
        {
            if (!ctx.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(ctx, e);
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
        }
    }

    /// <summary>metrics-server's wording: <c>podmetrics.metrics.k8s.io "ns/name" not found</c>, <c>nodemetrics.metrics.k8s.io "name" not found</c>.</summary>
    private static ApiError NotFound(ResourceType type, string name, string? ns = null)
    {
        var resource = type.Kind.ToLowerInvariant();
        var shown = ns is null ? name : $"{ns}/{name}";
        return new(404, "NotFound", $"{resource}.{type.Group} \"{shown}\" not found", new() { Name = shown, Group = type.Group, Kind = resource });
    }

    private static ApiError NotFoundPath() => new(404, "NotFound", "the server could not find the requested resource");
}
