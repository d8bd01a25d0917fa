using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>NAME CLASS HOSTS ADDRESS PORTS AGE.</summary>
internal sealed class IngressPrinter : TablePrinter<V1Ingress>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Class", "The name of the IngressClass resource that should be used for additional configuration"),
        Col.Text("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
        Col.Text("Address", "Address is a list containing ingress points for the load-balancer"),
        Col.Text("Ports", "Ports of TLS configurations that open"),
        Col.Age(),
    ];

    protected override object?[] Row(V1Ingress ing, DateTimeOffset now) =>
    [
        Cell.Name(ing),
        ing.Spec?.IngressClassName ?? Cell.None,
        Hosts(ing.Spec?.Rules ?? []),
        Cell.LoadBalancer(ing.Status?.LoadBalancer?.Ingress?.Select(i => (i.Ip, i.Hostname))),
        ing.Spec?.Tls is { Count: > 0 } ? "80, 443" : "80",
        Cell.Age(ing, now),
    ];

    /// <summary>
    /// The first three non-empty hosts, "*" when there are none. Once three are listed, any further
    /// rule (with or without a host) adds " + N more...", N counting rules, not hosts.
    /// </summary>
    private static string Hosts(IList<V1IngressRule> rules)
    {
        const int max = 3;
        var hosts = new List<string>();
        var more = false;
        foreach (var rule in rules)
        {
            more |= hosts.Count == max;
            if (!more && !string.IsNullOrEmpty(rule.Host))
            {
                hosts.Add(rule.Host);
            }
        }

        if (hosts.Count == 0)
        {
            return "*";
        }

        var list = string.Join(",", hosts);
        return more ? $"{list} + {rules.Count - max} more..." : list;
    }
}

/// <summary>NAME CONTROLLER PARAMETERS AGE; parameters as "Kind.group/name".</summary>
internal sealed class IngressClassPrinter : TablePrinter<V1IngressClass>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Controller", "Controller that is responsible for handling this class"),
        Col.Text("Parameters", "A reference to a resource with additional parameters"),
        Col.Age(),
    ];

    protected override object?[] Row(V1IngressClass ic, DateTimeOffset now)
    {
        var p = ic.Spec?.Parameters;
        var parameters = p is null ? Cell.None : p.ApiGroup is null ? $"{p.Kind}/{p.Name}" : $"{p.Kind}.{p.ApiGroup}/{p.Name}";
        return [Cell.Name(ic), ic.Spec?.Controller ?? "", parameters, Cell.Age(ic, now)];
    }
}

/// <summary>NAME ADDRESSTYPE PORTS ENDPOINTS AGE; at most three ports and addresses, "&lt;unset&gt;" when none.</summary>
internal sealed class EndpointSlicePrinter : TablePrinter<V1EndpointSlice>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
        Col.Text("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
        Col.Text("Endpoints", "endpoints is a list of unique endpoints in this slice."),
        Col.Age(),
    ];

    protected override object?[] Row(V1EndpointSlice slice, DateTimeOffset now)
    {
        var ports = (slice.Ports ?? []).Select(p => p.Port?.ToString() ?? p.Name ?? "*").ToList();
        var addresses = (slice.Endpoints ?? []).SelectMany(e => e.Addresses ?? []).ToList();
        return [Cell.Name(slice), slice.AddressType ?? "", OrUnset(ports), OrUnset(addresses), Cell.Age(slice, now)];
    }

    private static string OrUnset(List<string> items) => items.Count == 0 ? Cell.Unset : Cell.FirstFew(items, 3);
}
