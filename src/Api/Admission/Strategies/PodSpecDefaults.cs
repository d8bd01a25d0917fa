using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// The core/v1 defaulters for a pod spec, shared by Pod and every pod template. Pod-only defaults
/// (priority, requests from limits) live in <see cref="PodStrategy"/>.
/// </summary>
public static class PodSpecDefaults
{
    public const int DefaultTerminationGracePeriodSeconds = 30;
    private const int DefaultFileMode = 420; // 0644

    public static void Apply(V1PodSpec spec)
    {
        spec.DnsPolicy ??= "ClusterFirst";
        spec.RestartPolicy ??= "Always";
        spec.SchedulerName ??= "default-scheduler";
        spec.TerminationGracePeriodSeconds ??= DefaultTerminationGracePeriodSeconds;
        spec.SecurityContext ??= new V1PodSecurityContext();
        spec.EnableServiceLinks ??= true;

        foreach (var c in spec.InitContainers ?? [])
        {
            ApplyContainer(c, spec.HostNetwork == true);
        }

        foreach (var c in spec.Containers ?? [])
        {
            ApplyContainer(c, spec.HostNetwork == true);
        }

        foreach (var v in spec.Volumes ?? [])
        {
            ApplyVolume(v);
        }
    }

    public static void ApplyContainer(V1Container c, bool hostNetwork)
    {
        c.TerminationMessagePath ??= "/dev/termination-log";
        c.TerminationMessagePolicy ??= "File";
        if (string.IsNullOrEmpty(c.ImagePullPolicy))
        {
            c.ImagePullPolicy = PullPolicyFor(c.Image);
        }

        foreach (var p in c.Ports ?? [])
        {
            p.Protocol ??= "TCP";
            if (hostNetwork && p.HostPort is null or 0)
            {
                p.HostPort = p.ContainerPort;
            }
        }

        foreach (var e in c.Env ?? [])
        {
            if (e.ValueFrom?.FieldRef is { } fieldRef)
            {
                fieldRef.ApiVersion ??= "v1";
            }
        }

        ApplyProbe(c.LivenessProbe);
        ApplyProbe(c.ReadinessProbe);
        ApplyProbe(c.StartupProbe);
    }

    /// <summary>Always for ":latest" or an untagged image, IfNotPresent for any other tag or a digest.</summary>
    public static string PullPolicyFor(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return "Always";
        }

        var at = image.IndexOf('@');
        var named = at >= 0 ? image[..at] : image;
        var slash = named.LastIndexOf('/');
        var colon = named.LastIndexOf(':');
        var tag = colon > slash ? named[(colon + 1)..] : null;
        if (tag is null)
        {
            return at >= 0 ? "IfNotPresent" : "Always";
        }

        return tag == "latest" ? "Always" : "IfNotPresent";
    }

    private static void ApplyProbe(V1Probe? probe)
    {
        if (probe is null)
        {
            return;
        }

        probe.TimeoutSeconds ??= 1;
        probe.PeriodSeconds ??= 10;
        probe.SuccessThreshold ??= 1;
        probe.FailureThreshold ??= 3;
        if (probe.HttpGet is { } get)
        {
            get.Path ??= "/";
            get.Scheme ??= "HTTP";
        }
    }

    private static void ApplyVolume(V1Volume v)
    {
        if (VolumeSources.Of(v).Count == 0)
        {
            v.EmptyDir = new V1EmptyDirVolumeSource();
        }

        if (v.Secret is { } secret)
        {
            secret.DefaultMode ??= DefaultFileMode;
        }

        if (v.ConfigMap is { } configMap)
        {
            configMap.DefaultMode ??= DefaultFileMode;
        }

        if (v.DownwardAPI is { } downward)
        {
            downward.DefaultMode ??= DefaultFileMode;
        }

        if (v.Projected is { } projected)
        {
            projected.DefaultMode ??= DefaultFileMode;
        }

        if (v.HostPath is { } hostPath)
        {
            hostPath.Type ??= "";
        }
    }
}

/// <summary>Which volume source fields of a volume are set.</summary>
internal static class VolumeSources
{
    private static readonly System.Reflection.PropertyInfo[] Sources =
        [.. typeof(V1Volume).GetProperties().Where(p => p.Name != "Name")];

    public static List<string> Of(V1Volume v) =>
        [.. Sources.Where(p => p.GetValue(v) is not null).Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])];
}
