using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// core/v1 Services: type and traffic-policy defaults, port rules, and the clusterIP that sticks
/// once set. Allocating cluster IPs and node ports belongs to the handler, not here.
/// </summary>
public sealed class ServiceStrategy : KubeStrategy<V1Service>
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

    public ServiceStrategy()
        : base("services")
    {
    }

    public override string? ValidateName(string name) => NameRules.Dns1035(name);

    protected override void Default(V1Service obj)
    {
        var spec = obj.Spec ??= new V1ServiceSpec();
        spec.Type ??= "ClusterIP";
        spec.SessionAffinity ??= "None";
        if (spec.SessionAffinity == "ClientIP")
        {
            spec.SessionAffinityConfig ??= new V1SessionAffinityConfig();
            spec.SessionAffinityConfig.ClientIP ??= new V1ClientIPConfig();
            spec.SessionAffinityConfig.ClientIP.TimeoutSeconds ??= 10800;
        }

        foreach (var p in spec.Ports ?? [])
        {
            p.Protocol ??= "TCP";
            if (string.IsNullOrEmpty(p.TargetPort?.Value) || p.TargetPort.Value == "0")
            {
                p.TargetPort = p.Port;
            }
        }

        if (spec.Type is "NodePort" or "LoadBalancer")
        {
            spec.ExternalTrafficPolicy ??= "Cluster";
        }

        if (spec.Type == "LoadBalancer")
        {
            spec.AllocateLoadBalancerNodePorts ??= true;
        }

        if (spec.Type != "ExternalName")
        {
            spec.InternalTrafficPolicy ??= "Cluster";
            spec.IpFamilyPolicy ??= "SingleStack";
            if (spec.IpFamilies is not { Count: > 0 })
            {
                spec.IpFamilies = [spec.ClusterIP is { } ip && ip.Contains(':') ? "IPv6" : "IPv4"];
            }
        }

        if (!string.IsNullOrEmpty(spec.ClusterIP) && spec.ClusterIPs is not { Count: > 0 })
        {
            spec.ClusterIPs = [spec.ClusterIP];
        }
    }

    /// <summary>
    /// A replace that omits allocated values keeps them (as upstream's update path does); moving to
    /// ExternalName drops the fields that type cannot have.
    /// </summary>
    protected override void PrepareForUpdate(V1Service obj, V1Service old)
    {
        base.PrepareForUpdate(obj, old);
        if (obj.Spec is not { } spec || old.Spec is not { } oldSpec)
        {
            return;
        }

        if (spec.Type == "ExternalName" && oldSpec.Type != "ExternalName")
        {
            if (spec.ClusterIP == oldSpec.ClusterIP)
            {
                spec.ClusterIP = null;
                spec.ClusterIPs = null;
            }

            spec.IpFamilies = null;
            spec.IpFamilyPolicy = null;
            spec.InternalTrafficPolicy = null;
            spec.ExternalTrafficPolicy = null;
            return;
        }

        if (spec.Type != "ExternalName" && oldSpec.Type != "ExternalName" && string.IsNullOrEmpty(spec.ClusterIP))
        {
            spec.ClusterIP = oldSpec.ClusterIP;
            spec.ClusterIPs = oldSpec.ClusterIPs is null ? null : [.. oldSpec.ClusterIPs];
        }

        if (spec.Type is "NodePort" or "LoadBalancer")
        {
            foreach (var p in spec.Ports ?? [])
            {
                p.NodePort ??= oldSpec.Ports?.FirstOrDefault(o => o.Port == p.Port && o.Protocol == p.Protocol)?.NodePort;
            }
        }
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1Service obj)
    {
        var errors = new List<FieldError>();
        if (obj.Spec is not { } spec)
        {
            errors.Add(FieldError.Required("spec"));
            return errors;
        }

        if (!string.IsNullOrEmpty(spec.Type) && !Types.Contains(spec.Type))
        {
            errors.Add(FieldError.NotSupported("spec.type", spec.Type, Types));
        }

        var headless = spec.ClusterIP == "None";
        if (spec.Type == "ExternalName")
        {
            if (string.IsNullOrEmpty(spec.ExternalName))
            {
                errors.Add(FieldError.Required("spec.externalName"));
            }
            else if (NameRules.Subdomain(spec.ExternalName.TrimEnd('.')) is { } externalError)
            {
                errors.Add(FieldError.Invalid("spec.externalName", spec.ExternalName, externalError));
            }

            if (!string.IsNullOrEmpty(spec.ClusterIP) || spec.ClusterIPs is { Count: > 0 })
            {
                errors.Add(FieldError.Forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
            }
        }
        else if (spec.Ports is not { Count: > 0 } && !headless)
        {
            errors.Add(FieldError.Required("spec.ports"));
        }

        if (!string.IsNullOrEmpty(spec.ClusterIP) && !headless && Checks.IpError(spec.ClusterIP) is { } ipError)
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", spec.ClusterIP, ipError));
        }

        if (headless && spec.Type is "NodePort" or "LoadBalancer")
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", "None", $"may not be set to 'None' for {spec.Type} services"));
        }

        errors.AddRange(Checks.OneOf(spec.SessionAffinity, "spec.sessionAffinity", "ClientIP", "None"));
        ValidatePorts(spec, errors);
        errors.AddRange(ObjectMetaValidator.ValidateLabels(spec.Selector, "spec.selector"));
        if (spec.ExternalTrafficPolicy is { } etp && etp is not ("Cluster" or "Local"))
        {
            errors.Add(FieldError.NotSupported("spec.externalTrafficPolicy", etp, ["Cluster", "Local"]));
        }

        if (spec.InternalTrafficPolicy is { } itp && itp is not ("Cluster" or "Local"))
        {
            errors.Add(FieldError.NotSupported("spec.internalTrafficPolicy", itp, ["Cluster", "Local"]));
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1Service obj, V1Service old)
    {
        var errors = ValidateCreate(obj).ToList();
        var spec = obj.Spec;
        var oldSpec = old.Spec;
        if (spec is null || oldSpec is null || spec.Type == "ExternalName" || oldSpec.Type == "ExternalName")
        {
            return errors;
        }

        if (!string.IsNullOrEmpty(oldSpec.ClusterIP) && spec.ClusterIP != oldSpec.ClusterIP)
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", Checks.Show(spec.ClusterIPs ?? []), "may not change once set"));
        }

        return errors;
    }

    protected override string? GetField(V1Service obj, string field) => field switch
    {
        "spec.clusterIP" => obj.Spec?.ClusterIP ?? "",
        "spec.type" => obj.Spec?.Type ?? "",
        _ => null,
    };

    private static void ValidatePorts(V1ServiceSpec spec, List<FieldError> errors)
    {
        var ports = spec.Ports ?? [];
        var names = new HashSet<string>();
        var keys = new HashSet<(int, string?)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var p = ports[i];
            var at = Checks.Index("spec.ports", i);
            if (string.IsNullOrEmpty(p.Name))
            {
                if (ports.Count > 1)
                {
                    errors.Add(FieldError.Required(at + ".name"));
                }
            }
            else if (NameRules.Label(p.Name) is { } nameError)
            {
                errors.Add(FieldError.Invalid(at + ".name", p.Name, nameError));
            }
            else if (!names.Add(p.Name))
            {
                errors.Add(FieldError.Duplicate(at + ".name", p.Name));
            }

            errors.AddRange(Checks.PortNumber(p.Port, at + ".port"));
            errors.AddRange(Checks.Protocol(p.Protocol, at + ".protocol"));
            if (p.TargetPort?.Value is { } target)
            {
                PodSpecValidator.ValidatePortRef(target, at + ".targetPort", errors);
            }

            if (p.NodePort is { } nodePort and not 0)
            {
                if (spec.Type is not ("NodePort" or "LoadBalancer"))
                {
                    errors.Add(FieldError.Forbidden(at + ".nodePort", $"may not be used when `type` is '{spec.Type}'"));
                }

                errors.AddRange(Checks.PortNumber(nodePort, at + ".nodePort"));
            }

            if (!keys.Add((p.Port, p.Protocol)))
            {
                errors.Add(FieldError.Duplicate(at, $"{p.Port}/{p.Protocol}"));
            }
        }
    }
}
