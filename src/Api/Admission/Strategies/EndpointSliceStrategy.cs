using System.Net.Sockets;
using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>discovery.k8s.io/v1 EndpointSlices: address type fixed at create, addresses of that type.</summary>
public sealed class EndpointSliceStrategy : KubeStrategy<V1EndpointSlice>
{
    private const int MaxEndpoints = 1000;
    private const int MaxPorts = 20000;

    public EndpointSliceStrategy()
        : base("discovery.k8s.io/endpointslices")
    {
    }

    protected override void Default(V1EndpointSlice obj)
    {
        foreach (var p in obj.Ports ?? [])
        {
            p.Protocol ??= "TCP";
            p.Name ??= "";
        }
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1EndpointSlice obj)
    {
        var errors = new List<FieldError>();
        errors.AddRange(Checks.OneOf(obj.AddressType, "addressType", "IPv4", "IPv6", "FQDN"));
        var endpoints = obj.Endpoints ?? [];
        if (endpoints.Count > MaxEndpoints)
        {
            errors.Add(new FieldError("FieldValueTooMany", "endpoints", $"Too many: {endpoints.Count}: must have at most {MaxEndpoints} items"));
        }

        for (var i = 0; i < endpoints.Count; i++)
        {
            var at = Checks.Index("endpoints", i);
            var addresses = endpoints[i].Addresses ?? [];
            if (addresses.Count == 0)
            {
                errors.Add(FieldError.Required(at + ".addresses", "must contain at least 1 address"));
            }
            else if (addresses.Count > 100)
            {
                errors.Add(new FieldError("FieldValueTooMany", at + ".addresses", $"Too many: {addresses.Count}: must have at most 100 items"));
            }

            for (var j = 0; j < addresses.Count; j++)
            {
                var error = obj.AddressType switch
                {
                    "IPv4" => Checks.IpError(addresses[j], AddressFamily.InterNetwork),
                    "IPv6" => Checks.IpError(addresses[j], AddressFamily.InterNetworkV6),
                    "FQDN" => NameRules.Subdomain(addresses[j]),
                    _ => null,
                };
                if (error is not null)
                {
                    errors.Add(FieldError.Invalid(Checks.Index(at + ".addresses", j), addresses[j], error));
                }
            }

            if (!string.IsNullOrEmpty(endpoints[i].Hostname) && NameRules.Label(endpoints[i].Hostname) is { } hostError)
            {
                errors.Add(FieldError.Invalid(at + ".hostname", endpoints[i].Hostname, hostError));
            }
        }

        var ports = obj.Ports ?? [];
        if (ports.Count > MaxPorts)
        {
            errors.Add(new FieldError("FieldValueTooMany", "ports", $"Too many: {ports.Count}: must have at most {MaxPorts} items"));
        }

        var names = new HashSet<string>();
        for (var i = 0; i < ports.Count; i++)
        {
            var at = Checks.Index("ports", i);
            var name = ports[i].Name ?? "";
            if (name.Length > 0 && NameRules.Label(name) is { } nameError)
            {
                errors.Add(FieldError.Invalid(at + ".name", name, nameError));
            }

            if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate(at + ".name", name));
            }

            if (ports[i].Port is { } port)
            {
                errors.AddRange(Checks.PortNumber(port, at + ".port"));
            }

            errors.AddRange(Checks.Protocol(ports[i].Protocol, at + ".protocol"));
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1EndpointSlice obj, V1EndpointSlice old) =>
        ValidateCreate(obj).Concat(Checks.ImmutableField(obj.AddressType, old.AddressType, "addressType"));
}
