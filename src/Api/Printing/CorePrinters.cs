using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR.</summary>
internal sealed class ServicePrinter : TablePrinter<V1Service>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Type", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
        Col.Text("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
        Col.Text("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        Col.Text("Port(s)", "The list of ports that are exposed by this service."),
        Col.Age(),
        Col.Selector("Route service traffic to pods with label keys and values matching this selector."),
    ];

    protected override object?[] Row(V1Service svc, DateTimeOffset now)
    {
        var spec = svc.Spec ?? new V1ServiceSpec();

        // The API server always mirrors clusterIP into clusterIPs; fall back for objects that skipped that.
        var clusterIp = spec.ClusterIPs?.FirstOrDefault() ?? spec.ClusterIP;
        var ports = string.Join(",", (spec.Ports ?? []).Select(Port));
        return
        [
            Cell.Name(svc),
            spec.Type ?? "",
            Cell.OrNone(clusterIp),
            ExternalIp(svc),
            ports.Length == 0 ? Cell.None : ports,
            Cell.Age(svc, now),
            Cell.Labels(spec.Selector),
        ];
    }

    // Protocol defaults to TCP on admission; print it so for objects stored before defaulting.
    private static string Port(V1ServicePort p) =>
        p.NodePort is > 0 ? $"{p.Port}:{p.NodePort}/{p.Protocol ?? "TCP"}" : $"{p.Port}/{p.Protocol ?? "TCP"}";

    private static string ExternalIp(V1Service svc)
    {
        var spec = svc.Spec ?? new V1ServiceSpec();
        var external = spec.ExternalIPs ?? [];
        switch (spec.Type)
        {
            case "ClusterIP":
            case "NodePort":
                return external.Count > 0 ? string.Join(",", external) : Cell.None;
            case "LoadBalancer":
                var lb = Cell.LoadBalancer(svc.Status?.LoadBalancer?.Ingress?.Select(i => (i.Ip, i.Hostname)));
                string[] all = [.. lb.Split(',', StringSplitOptions.RemoveEmptyEntries), .. external];
                return all.Length > 0 ? string.Join(",", all) : "<pending>";
            case "ExternalName":
                return spec.ExternalName ?? "";
            default:
                return Cell.Unknown;
        }
    }
}

/// <summary>NAME ENDPOINTS AGE: the first three ready host:port pairs.</summary>
internal sealed class EndpointsPrinter : TablePrinter<V1Endpoints>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Endpoints", "The set of all endpoints is the union of all subsets."),
        Col.Age(),
    ];

    protected override object?[] Row(V1Endpoints ep, DateTimeOffset now) => [Cell.Name(ep), Format(ep.Subsets), Cell.Age(ep, now)];

    private static string Format(IList<V1EndpointSubset>? subsets)
    {
        if (subsets is null || subsets.Count == 0)
        {
            return Cell.None;
        }

        var all = new List<string>();
        foreach (var subset in subsets)
        {
            var addresses = subset.Addresses ?? [];
            if (subset.Ports is null || subset.Ports.Count == 0)
            {
                // Headless services may have no ports: list the bare IPs.
                all.AddRange(addresses.Select(a => a.Ip));
                continue;
            }

            foreach (var port in subset.Ports)
            {
                all.AddRange(addresses.Select(a => Cell.HostPort(a.Ip, port.Port)));
            }
        }

        return Cell.FirstFew(all, 3);
    }
}

/// <summary>NAME DATA AGE; data counts both data and binaryData keys.</summary>
internal sealed class ConfigMapPrinter : TablePrinter<V1ConfigMap>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Data", "Data contains the configuration data."),
        Col.Age(),
    ];

    protected override object?[] Row(V1ConfigMap cm, DateTimeOffset now) =>
        [Cell.Name(cm), (long)((cm.Data?.Count ?? 0) + (cm.BinaryData?.Count ?? 0)), Cell.Age(cm, now)];
}

/// <summary>NAME TYPE DATA AGE.</summary>
internal sealed class SecretPrinter : TablePrinter<V1Secret>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Type", "Used to facilitate programmatic handling of secret data."),
        Col.Text("Data", "Data contains the secret data."),
        Col.Age(),
    ];

    protected override object?[] Row(V1Secret secret, DateTimeOffset now) =>
        [Cell.Name(secret), secret.Type ?? "", (long)(secret.Data?.Count ?? 0), Cell.Age(secret, now)];
}

/// <summary>NAME SECRETS AGE.</summary>
internal sealed class ServiceAccountPrinter : TablePrinter<V1ServiceAccount>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
        Col.Age(),
    ];

    protected override object?[] Row(V1ServiceAccount sa, DateTimeOffset now) =>
        [Cell.Name(sa), (long)(sa.Secrets?.Count ?? 0), Cell.Age(sa, now)];
}

/// <summary>NAME STATUS AGE.</summary>
internal sealed class NamespacePrinter : TablePrinter<V1Namespace>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Status", "The status of the namespace"),
        Col.Age(),
    ];

    protected override object?[] Row(V1Namespace ns, DateTimeOffset now) =>
        [Cell.Name(ns), ns.Status?.Phase ?? "", Cell.Age(ns, now)];
}

/// <summary>NAME REQUEST LIMIT AGE: "used/hard" per resource, limits.* resources in LIMIT.</summary>
internal sealed class ResourceQuotaPrinter : TablePrinter<V1ResourceQuota>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
        Col.Text("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
        Col.Age(),
    ];

    protected override object?[] Row(V1ResourceQuota quota, DateTimeOffset now)
    {
        var hard = quota.Status?.Hard ?? new Dictionary<string, ResourceQuantity>();
        var requests = new List<string>();
        var limits = new List<string>();
        foreach (var name in hard.Keys.Order(StringComparer.Ordinal))
        {
            var pieces = name.Split('.');
            var column = pieces.Length > 1 && pieces[0] == "limits" ? limits : requests;
            column.Add($"{name}: {Cell.Quantity(quota.Status?.Used, name)}/{Cell.Quantity(hard, name)}");
        }

        return [Cell.Name(quota), string.Join(", ", requests), string.Join(", ", limits), Cell.Age(quota, now)];
    }
}
