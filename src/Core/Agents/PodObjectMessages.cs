using k8s.Models;

namespace KubeWeb.Core.Agents;

/// <summary>
/// A ConfigMap, Secret or PersistentVolumeClaim one of the node's pods needs (env or a volume), looked
/// up in the pod's namespace, or the PersistentVolume one of its claims is bound to. The server answers only for a
/// pod bound to the asking node (with that uid) whose spec references the object, as the
/// Kubernetes node authorizer does.
/// </summary>
public sealed record PodObjectRequest(string Namespace, string PodName, string PodUid, string Kind, string Name);

/// <summary>The object's JSON, or null with <paramref name="Found"/> false when it does not exist.</summary>
public sealed record PodObjectResult(bool Found, string? Object);

/// <summary>Which ConfigMaps and Secrets a pod's spec references (env, envFrom, volumes, projected volumes).</summary>
public static class PodObjectReferences
{
    public const string ConfigMap = nameof(ConfigMap);
    public const string Secret = nameof(Secret);
    public const string PersistentVolumeClaim = nameof(PersistentVolumeClaim);

    /// <summary>Cluster-scoped: allowed when a claim the pod references is bound to it (the server checks).</summary>
    public const string PersistentVolume = nameof(PersistentVolume);

    public static bool References(V1Pod pod, string kind, string name) => kind switch
    {
        ConfigMap => ConfigMaps(pod).Contains(name),
        Secret => Secrets(pod).Contains(name),
        PersistentVolumeClaim => Claims(pod).Contains(name),
        _ => false,
    };

    public static HashSet<string> ConfigMaps(V1Pod pod)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in Containers(pod))
        {
            foreach (var e in c.Env ?? [])
            {
                Add(names, e.ValueFrom?.ConfigMapKeyRef?.Name);
            }

            foreach (var e in c.EnvFrom ?? [])
            {
                Add(names, e.ConfigMapRef?.Name);
            }
        }

        foreach (var v in pod.Spec?.Volumes ?? [])
        {
            Add(names, v.ConfigMap?.Name);
            foreach (var s in v.Projected?.Sources ?? [])
            {
                Add(names, s.ConfigMap?.Name);
            }
        }

        return names;
    }

    public static HashSet<string> Secrets(V1Pod pod)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in Containers(pod))
        {
            foreach (var e in c.Env ?? [])
            {
                Add(names, e.ValueFrom?.SecretKeyRef?.Name);
            }

            foreach (var e in c.EnvFrom ?? [])
            {
                Add(names, e.SecretRef?.Name);
            }
        }

        foreach (var v in pod.Spec?.Volumes ?? [])
        {
            Add(names, v.Secret?.SecretName);
            foreach (var s in v.Projected?.Sources ?? [])
            {
                Add(names, s.Secret?.Name);
            }
        }

        foreach (var s in pod.Spec?.ImagePullSecrets ?? [])
        {
            Add(names, s.Name);
        }

        return names;
    }

    /// <summary>The claims of the pod's persistentVolumeClaim volumes.</summary>
    public static HashSet<string> Claims(V1Pod pod)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in pod.Spec?.Volumes ?? [])
        {
            Add(names, v.PersistentVolumeClaim?.ClaimName);
        }

        return names;
    }

    private static IEnumerable<V1Container> Containers(V1Pod pod) =>
        (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []);

    private static void Add(HashSet<string> names, string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            names.Add(name);
        }
    }
}
