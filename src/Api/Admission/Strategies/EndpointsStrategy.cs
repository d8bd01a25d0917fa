using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>core/v1 Endpoints: valid IPs and ports in every subset.</summary>
public sealed class EndpointsStrategy : KubeStrategy<V1Endpoints>
{
    public EndpointsStrategy()
        : base("endpoints")
    {
    }

    protected override void Default(V1Endpoints obj)
    {
        foreach (var port in (obj.Subsets ?? []).SelectMany(s => s.Ports ?? []))
        {
            port.Protocol ??= "TCP";
        }
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1Endpoints obj)
    {
        var errors = new List<FieldError>();
        var subsets = obj.Subsets ?? [];
        for (var i = 0; i < subsets.Count; i++)
        {
            var at = Checks.Index("subsets", i);
            var subset = subsets[i];
            if ((subset.Addresses?.Count ?? 0) + (subset.NotReadyAddresses?.Count ?? 0) == 0)
            {
                errors.Add(FieldError.Required(at, "must specify `addresses` or `notReadyAddresses`"));
            }

            ValidateAddresses(subset.Addresses, at + ".addresses", errors);
            ValidateAddresses(subset.NotReadyAddresses, at + ".notReadyAddresses", errors);
            var ports = subset.Ports ?? [];
            var names = new HashSet<string>();
            for (var j = 0; j < ports.Count; j++)
            {
                var portPath = Checks.Index(at + ".ports", j);
                var port = ports[j];
                if (string.IsNullOrEmpty(port.Name))
                {
                    if (ports.Count > 1)
                    {
                        errors.Add(FieldError.Required(portPath + ".name"));
                    }
                }
                else if (NameRules.Label(port.Name) is { } nameError)
                {
                    errors.Add(FieldError.Invalid(portPath + ".name", port.Name, nameError));
                }
                else if (!names.Add(port.Name))
                {
                    errors.Add(FieldError.Duplicate(portPath + ".name", port.Name));
                }

                errors.AddRange(Checks.PortNumber(port.Port, portPath + ".port"));
                errors.AddRange(Checks.Protocol(port.Protocol, portPath + ".protocol"));
            }
        }

        return errors;
    }

    private static void ValidateAddresses(IList<V1EndpointAddress>? addresses, string path, List<FieldError> errors)
    {
        var i = 0;
        foreach (var address in addresses ?? [])
        {
            var at = Checks.Index(path, i++);
            if (Checks.IpError(address.Ip) is { } ipError)
            {
                errors.Add(FieldError.Invalid(at + ".ip", address.Ip ?? "", ipError));
            }

            if (!string.IsNullOrEmpty(address.Hostname) && NameRules.Label(address.Hostname) is { } hostError)
            {
                errors.Add(FieldError.Invalid(at + ".hostname", address.Hostname, hostError));
            }
        }
    }
}
