using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>networking.k8s.io/v1 Ingresses: rules or a default backend, typed paths, well-formed backends.</summary>
public sealed class IngressStrategy : KubeStrategy<V1Ingress>
{
    private static readonly string[] PathTypes = ["Exact", "ImplementationSpecific", "Prefix"];

    public IngressStrategy()
        : base("networking.k8s.io/ingresses")
    {
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1Ingress obj)
    {
        var errors = new List<FieldError>();
        var spec = obj.Spec;
        if (spec is null || (spec.Rules is not { Count: > 0 } && spec.DefaultBackend is null))
        {
            errors.Add(FieldError.Invalid("spec.rules", "[]", "either `defaultBackend` or `rules` must be specified"));
            return errors;
        }

        if (spec.DefaultBackend is { } fallback)
        {
            ValidateBackend(fallback, "spec.defaultBackend", errors);
        }

        if (!string.IsNullOrEmpty(spec.IngressClassName) && NameRules.Subdomain(spec.IngressClassName) is { } classError)
        {
            errors.Add(FieldError.Invalid("spec.ingressClassName", spec.IngressClassName, classError));
        }

        var rules = spec.Rules ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var at = Checks.Index("spec.rules", i);
            var host = rules[i].Host;
            if (!string.IsNullOrEmpty(host))
            {
                var bare = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
                if (NameRules.Subdomain(bare) is { } hostError)
                {
                    errors.Add(FieldError.Invalid(at + ".host", host, hostError));
                }
            }

            var paths = rules[i].Http?.Paths;
            if (rules[i].Http is not null && paths is not { Count: > 0 })
            {
                errors.Add(FieldError.Required(at + ".http.paths"));
            }

            for (var j = 0; j < (paths?.Count ?? 0); j++)
            {
                ValidatePath(paths![j], Checks.Index(at + ".http.paths", j), errors);
            }
        }

        var t = 0;
        foreach (var tls in spec.Tls ?? [])
        {
            foreach (var host in tls.Hosts ?? [])
            {
                var bare = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
                if (NameRules.Subdomain(bare) is { } hostError)
                {
                    errors.Add(FieldError.Invalid(Checks.Index("spec.tls", t) + ".hosts", host, hostError));
                }
            }

            t++;
        }

        return errors;
    }

    private static void ValidatePath(V1HTTPIngressPath path, string at, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(path.PathType))
        {
            errors.Add(FieldError.Required(at + ".pathType", "pathType must be specified"));
        }
        else if (!PathTypes.Contains(path.PathType))
        {
            errors.Add(FieldError.NotSupported(at + ".pathType", path.PathType, PathTypes));
        }
        else if (path.PathType is "Exact" or "Prefix")
        {
            if (string.IsNullOrEmpty(path.Path) || !path.Path.StartsWith('/'))
            {
                errors.Add(FieldError.Invalid(at + ".path", path.Path ?? "", "must be an absolute path"));
            }
            else if (path.Path.Contains("//", StringComparison.Ordinal) || path.Path.Split('/').Any(s => s is "." or ".."))
            {
                errors.Add(FieldError.Invalid(at + ".path", path.Path, "must not contain '//', '/./' or '/../' segments"));
            }
        }
        else if (!string.IsNullOrEmpty(path.Path) && !path.Path.StartsWith('/'))
        {
            errors.Add(FieldError.Invalid(at + ".path", path.Path, "must be an absolute path"));
        }

        if (path.Backend is null)
        {
            errors.Add(FieldError.Required(at + ".backend"));
        }
        else
        {
            ValidateBackend(path.Backend, at + ".backend", errors);
        }
    }

    private static void ValidateBackend(V1IngressBackend backend, string at, List<FieldError> errors)
    {
        if (backend.Service is not null && backend.Resource is not null)
        {
            errors.Add(FieldError.Invalid(at, "", "cannot set both resource and service backends"));
            return;
        }

        if (backend.Resource is { } resource)
        {
            errors.AddRange(Checks.Name(resource.Kind, at + ".resource.kind", _ => null));
            errors.AddRange(Checks.Name(resource.Name, at + ".resource.name", _ => null));
            return;
        }

        if (backend.Service is not { } service)
        {
            errors.Add(FieldError.Invalid(at, "", "resource or service backend is required"));
            return;
        }

        errors.AddRange(Checks.Name(service.Name, at + ".service.name", NameRules.Dns1035));
        var port = service.Port;
        var hasName = !string.IsNullOrEmpty(port?.Name);
        var hasNumber = port?.Number is not null and not 0;
        if (hasName && hasNumber)
        {
            errors.Add(FieldError.Invalid(at + ".service.port", "", "cannot set both port name & port number"));
        }
        else if (hasName)
        {
            if (Checks.PortNameError(port!.Name) is { } nameError)
            {
                errors.Add(FieldError.Invalid(at + ".service.port.name", port.Name, nameError));
            }
        }
        else if (hasNumber)
        {
            errors.AddRange(Checks.PortNumber(port!.Number, at + ".service.port.number"));
        }
        else
        {
            errors.Add(FieldError.Required(at + ".service.port", "port name or number is required"));
        }
    }
}
