using k8s.Models;
using KubeWeb.Core.Validation;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// core/v1 pod spec validation, shared by Pod and every pod template. <c>path</c> is where the
/// spec sits: <c>spec</c> for a Pod, <c>spec.template.spec</c> for workloads.
/// </summary>
public static class PodSpecValidator
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];

    public static IEnumerable<FieldError> Validate(V1PodSpec? spec, string path)
    {
        var errors = new List<FieldError>();
        if (spec is null)
        {
            errors.Add(FieldError.Required(path));
            return errors;
        }

        var volumes = ValidateVolumes(spec.Volumes, path + ".volumes", errors);
        var names = new HashSet<string>();
        if (spec.Containers is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(path + ".containers"));
        }

        var i = 0;
        foreach (var c in spec.InitContainers ?? [])
        {
            var at = Checks.Index(path + ".initContainers", i++);
            ValidateContainer(c, at, names, volumes, errors, isInit: true);
        }

        i = 0;
        foreach (var c in spec.Containers ?? [])
        {
            ValidateContainer(c, Checks.Index(path + ".containers", i++), names, volumes, errors, isInit: false);
        }

        errors.AddRange(Checks.OneOf(spec.RestartPolicy, path + ".restartPolicy", RestartPolicies));
        errors.AddRange(Checks.OneOf(spec.DnsPolicy, path + ".dnsPolicy", "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"));
        if (spec.ActiveDeadlineSeconds is { } deadline && (deadline < 1 || deadline > int.MaxValue))
        {
            errors.Add(FieldError.Invalid(path + ".activeDeadlineSeconds", deadline, Checks.RangeError(1, int.MaxValue)));
        }

        errors.AddRange(ObjectMetaValidator.ValidateLabels(spec.NodeSelector, path + ".nodeSelector"));
        if (!string.IsNullOrEmpty(spec.ServiceAccountName) && NameRules.Subdomain(spec.ServiceAccountName) is { } saError)
        {
            errors.Add(FieldError.Invalid(path + ".serviceAccountName", spec.ServiceAccountName, saError));
        }

        if (!string.IsNullOrEmpty(spec.Hostname) && NameRules.Label(spec.Hostname) is { } hostError)
        {
            errors.Add(FieldError.Invalid(path + ".hostname", spec.Hostname, hostError));
        }

        if (!string.IsNullOrEmpty(spec.Subdomain) && NameRules.Label(spec.Subdomain) is { } subError)
        {
            errors.Add(FieldError.Invalid(path + ".subdomain", spec.Subdomain, subError));
        }

        ValidateTolerations(spec.Tolerations, path + ".tolerations", errors);
        return errors;
    }

    private static HashSet<string> ValidateVolumes(IList<V1Volume>? volumes, string path, List<FieldError> errors)
    {
        var names = new HashSet<string>();
        var i = 0;
        foreach (var v in volumes ?? [])
        {
            var at = Checks.Index(path, i++);
            errors.AddRange(Checks.Name(v.Name, at + ".name", NameRules.Label));
            if (!string.IsNullOrEmpty(v.Name) && !names.Add(v.Name))
            {
                errors.Add(FieldError.Duplicate(at + ".name", v.Name));
            }

            var sources = VolumeSources.Of(v);
            if (sources.Count == 0)
            {
                errors.Add(FieldError.Required(at, "must specify a volume type"));
            }
            else if (sources.Count > 1)
            {
                errors.Add(FieldError.Forbidden($"{at}.{sources[1]}", "may not specify more than 1 volume type"));
            }

            if (v.PersistentVolumeClaim is { } pvc && string.IsNullOrEmpty(pvc.ClaimName))
            {
                errors.Add(FieldError.Required(at + ".persistentVolumeClaim.claimName"));
            }

            if (v.HostPath is { } hostPath && string.IsNullOrEmpty(hostPath.Path))
            {
                errors.Add(FieldError.Required(at + ".hostPath.path"));
            }
        }

        return names;
    }

    private static void ValidateContainer(
        V1Container c, string at, HashSet<string> names, HashSet<string> volumes, List<FieldError> errors, bool isInit)
    {
        errors.AddRange(Checks.Name(c.Name, at + ".name", NameRules.Label));
        if (!string.IsNullOrEmpty(c.Name) && !names.Add(c.Name))
        {
            errors.Add(FieldError.Duplicate(at + ".name", c.Name));
        }

        if (string.IsNullOrEmpty(c.Image))
        {
            errors.Add(FieldError.Required(at + ".image"));
        }
        else if (c.Image.Trim().Length != c.Image.Length)
        {
            errors.Add(FieldError.Invalid(at + ".image", c.Image, "must not have leading or trailing whitespace"));
        }

        errors.AddRange(Checks.OneOf(c.ImagePullPolicy, at + ".imagePullPolicy", "Always", "IfNotPresent", "Never"));
        errors.AddRange(Checks.OneOf(c.TerminationMessagePolicy, at + ".terminationMessagePolicy", "File", "FallbackToLogsOnError"));
        if (isInit && c.RestartPolicy is { } rp && rp != "Always")
        {
            errors.Add(FieldError.NotSupported(at + ".restartPolicy", rp, ["Always"]));
        }
        else if (!isInit && c.RestartPolicy is not null)
        {
            errors.Add(FieldError.Forbidden(at + ".restartPolicy", "may not be set for non-init containers"));
        }

        if (isInit && c.RestartPolicy != "Always")
        {
            // Only sidecars (restartPolicy Always) run alongside the app containers, so only they have hooks and probes.
            const string NotSidecar = "may not be set for init containers without restartPolicy=Always";
            if (c.Lifecycle is not null)
            {
                errors.Add(FieldError.Forbidden(at + ".lifecycle", NotSidecar));
            }

            if (c.LivenessProbe is not null)
            {
                errors.Add(FieldError.Forbidden(at + ".livenessProbe", NotSidecar));
            }

            if (c.ReadinessProbe is not null)
            {
                errors.Add(FieldError.Forbidden(at + ".readinessProbe", NotSidecar));
            }

            if (c.StartupProbe is not null)
            {
                errors.Add(FieldError.Forbidden(at + ".startupProbe", NotSidecar));
            }
        }

        ValidatePorts(c.Ports, at + ".ports", errors);
        ValidateEnv(c.Env, at + ".env", errors);
        ValidateMounts(c.VolumeMounts, at + ".volumeMounts", volumes, errors);
        ValidateProbe(c.LivenessProbe, at + ".livenessProbe", mustSucceedOnce: true, errors);
        ValidateProbe(c.StartupProbe, at + ".startupProbe", mustSucceedOnce: true, errors);
        ValidateProbe(c.ReadinessProbe, at + ".readinessProbe", mustSucceedOnce: false, errors);
        ValidateResources(c.Resources, at + ".resources", errors);
    }

    private static void ValidatePorts(IList<V1ContainerPort>? ports, string path, List<FieldError> errors)
    {
        var names = new HashSet<string>();
        var i = 0;
        foreach (var p in ports ?? [])
        {
            var at = Checks.Index(path, i++);
            if (!string.IsNullOrEmpty(p.Name))
            {
                if (Checks.PortNameError(p.Name) is { } nameError)
                {
                    errors.Add(FieldError.Invalid(at + ".name", p.Name, nameError));
                }
                else if (!names.Add(p.Name))
                {
                    errors.Add(FieldError.Duplicate(at + ".name", p.Name));
                }
            }

            if (p.ContainerPort == 0)
            {
                errors.Add(FieldError.Required(at + ".containerPort"));
            }
            else
            {
                errors.AddRange(Checks.PortNumber(p.ContainerPort, at + ".containerPort"));
            }

            if (p.HostPort is { } hostPort and not 0)
            {
                errors.AddRange(Checks.PortNumber(hostPort, at + ".hostPort"));
            }

            errors.AddRange(Checks.Protocol(p.Protocol, at + ".protocol"));
        }
    }

    private static void ValidateEnv(IList<V1EnvVar>? env, string path, List<FieldError> errors)
    {
        var i = 0;
        foreach (var e in env ?? [])
        {
            var at = Checks.Index(path, i++);
            if (string.IsNullOrEmpty(e.Name))
            {
                errors.Add(FieldError.Required(at + ".name"));
            }
            else if (!NameValidation.IsEnvVarName(e.Name))
            {
                errors.Add(FieldError.Invalid(at + ".name", e.Name,
                    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"));
            }

            if (e.ValueFrom is { } from)
            {
                var sources = new object?[] { from.FieldRef, from.ResourceFieldRef, from.ConfigMapKeyRef, from.SecretKeyRef, from.FileKeyRef }
                    .Count(s => s is not null);
                if (!string.IsNullOrEmpty(e.Value))
                {
                    errors.Add(FieldError.Invalid(at + ".valueFrom", "", "may not be specified when `value` is not empty"));
                }
                else if (sources == 0)
                {
                    errors.Add(FieldError.Invalid(at + ".valueFrom", "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
                }
                else if (sources > 1)
                {
                    errors.Add(FieldError.Invalid(at + ".valueFrom", "", "may not have more than one field specified at a time"));
                }
            }
        }
    }

    private static void ValidateMounts(IList<V1VolumeMount>? mounts, string path, HashSet<string> volumes, List<FieldError> errors)
    {
        var paths = new HashSet<string>();
        var i = 0;
        foreach (var m in mounts ?? [])
        {
            var at = Checks.Index(path, i++);
            if (string.IsNullOrEmpty(m.Name))
            {
                errors.Add(FieldError.Required(at + ".name"));
            }
            else if (!volumes.Contains(m.Name))
            {
                errors.Add(Checks.NotFound(at + ".name", m.Name));
            }

            if (string.IsNullOrEmpty(m.MountPath))
            {
                errors.Add(FieldError.Required(at + ".mountPath"));
            }
            else if (!paths.Add(m.MountPath))
            {
                errors.Add(FieldError.Invalid(at + ".mountPath", m.MountPath, "must be unique"));
            }

            if (!string.IsNullOrEmpty(m.SubPath) && (m.SubPath.StartsWith('/') || m.SubPath.Split('/').Contains("..")))
            {
                errors.Add(FieldError.Invalid(at + ".subPath", m.SubPath, "must be a relative path without '..'"));
            }
        }
    }

    private static void ValidateProbe(V1Probe? probe, string path, bool mustSucceedOnce, List<FieldError> errors)
    {
        if (probe is null)
        {
            return;
        }

        var handlers = new object?[] { probe.Exec, probe.HttpGet, probe.TcpSocket, probe.Grpc }.Count(h => h is not null);
        if (handlers == 0)
        {
            errors.Add(FieldError.Required(path, "must specify a handler type"));
        }
        else if (handlers > 1)
        {
            errors.Add(FieldError.Forbidden(path, "may not specify more than 1 handler type"));
        }

        errors.AddRange(Checks.NotNegative(probe.InitialDelaySeconds, path + ".initialDelaySeconds"));
        errors.AddRange(Checks.NotNegative(probe.TimeoutSeconds, path + ".timeoutSeconds"));
        errors.AddRange(Checks.NotNegative(probe.PeriodSeconds, path + ".periodSeconds"));
        errors.AddRange(Checks.NotNegative(probe.SuccessThreshold, path + ".successThreshold"));
        errors.AddRange(Checks.NotNegative(probe.FailureThreshold, path + ".failureThreshold"));
        if (mustSucceedOnce && probe.SuccessThreshold is { } s && s != 1)
        {
            errors.Add(FieldError.Invalid(path + ".successThreshold", s, "must be 1"));
        }

        if (probe.HttpGet is { } get && get.Port?.Value is { } port)
        {
            ValidatePortRef(port, path + ".httpGet.port", errors);
        }

        if (probe.TcpSocket is { } tcp && tcp.Port?.Value is { } tcpPort)
        {
            ValidatePortRef(tcpPort, path + ".tcpSocket.port", errors);
        }
    }

    /// <summary>A port given as a number or as a port name (probes, service targetPort).</summary>
    internal static void ValidatePortRef(string value, string path, List<FieldError> errors)
    {
        if (int.TryParse(value, out var number))
        {
            errors.AddRange(Checks.PortNumber(number, path));
        }
        else if (Checks.PortNameError(value) is { } error)
        {
            errors.Add(FieldError.Invalid(path, value, error));
        }
    }

    private static void ValidateResources(V1ResourceRequirements? resources, string path, List<FieldError> errors)
    {
        foreach (var (name, quantity) in resources?.Requests ?? new Dictionary<string, ResourceQuantity>())
        {
            if (quantity.ToDecimal() < 0)
            {
                errors.Add(FieldError.Invalid(Checks.Key(path + ".requests", name), quantity.ToString(), Checks.NonNegative));
            }

            if (resources!.Limits?.TryGetValue(name, out var limit) == true && quantity.ToDecimal() > limit.ToDecimal())
            {
                errors.Add(FieldError.Invalid(Checks.Key(path + ".requests", name), quantity.ToString(),
                    $"must be less than or equal to {name} limit of {limit}"));
            }
        }

        foreach (var (name, quantity) in resources?.Limits ?? new Dictionary<string, ResourceQuantity>())
        {
            if (quantity.ToDecimal() < 0)
            {
                errors.Add(FieldError.Invalid(Checks.Key(path + ".limits", name), quantity.ToString(), Checks.NonNegative));
            }
        }
    }

    private static void ValidateTolerations(IList<V1Toleration>? tolerations, string path, List<FieldError> errors)
    {
        var i = 0;
        foreach (var t in tolerations ?? [])
        {
            var at = Checks.Index(path, i++);
            if (!string.IsNullOrEmpty(t.Key) && !NameValidation.IsQualifiedName(t.Key, out var keyError))
            {
                errors.Add(FieldError.Invalid(at + ".key", t.Key, keyError!));
            }

            if (string.IsNullOrEmpty(t.Key) && t.OperatorProperty != "Exists")
            {
                errors.Add(FieldError.Invalid(at + ".operator", t.OperatorProperty ?? "", "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }

            switch (t.OperatorProperty)
            {
                case null or "" or "Equal":
                    if (!NameValidation.IsLabelValue(t.Value ?? "", out var valueError))
                    {
                        errors.Add(FieldError.Invalid(at + ".operator", t.Value, valueError!));
                    }

                    break;
                case "Exists":
                    if (!string.IsNullOrEmpty(t.Value))
                    {
                        errors.Add(FieldError.Invalid(at + ".operator", t.Value, "value must be empty when `operator` is 'Exists'"));
                    }

                    break;
                default:
                    errors.Add(FieldError.NotSupported(at + ".operator", t.OperatorProperty, ["Equal", "Exists"]));
                    break;
            }

            if (t.TolerationSeconds is not null && t.Effect != "NoExecute")
            {
                errors.Add(FieldError.Invalid(at + ".effect", t.Effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }

            if (!string.IsNullOrEmpty(t.Effect) && t.Effect is not ("NoSchedule" or "PreferNoSchedule" or "NoExecute"))
            {
                errors.Add(FieldError.NotSupported(at + ".effect", t.Effect, ["NoSchedule", "PreferNoSchedule", "NoExecute"]));
            }
        }
    }
}
