using k8s.Models;

namespace KubeWeb.Api.Admission.Plugins;

/// <summary>
/// The ServiceAccount admission plugin: a new pod runs as <c>default</c> unless it names an account,
/// and, unless automountServiceAccountToken is false on the pod or its account, gets the projected
/// <c>kube-api-access-XXXXX</c> volume (a bound token, the cluster CA, the namespace) mounted
/// read-only at <see cref="MountPath"/> in every container that does not mount something there.
/// A pod naming an account that does not exist is refused with upstream's 403 ("error looking up
/// service account …"). Departure: the namespace's <c>default</c> account is exempt, because it is
/// created asynchronously after the namespace (upstream has the same race and refuses; here such a
/// pod waits in FailedMount until the account appears).
/// </summary>
public static class ServiceAccountAdmission
{
    public const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string VolumePrefix = "kube-api-access-";

    /// <summary>The kubelet-side lifetime of the projected token (upstream's 1 h + 7 s marker).</summary>
    public const long TokenExpirationSeconds = 3607;

    private const string MirrorAnnotation = "kubernetes.io/config.mirror";

    /// <param name="account">The pod's account, when it exists.</param>
    /// <param name="suffix">Five random characters for the volume name.</param>
    /// <exception cref="ServiceAccountNotFoundException">The pod names an account other than <c>default</c> that does not exist.</exception>
    public static void Apply(V1Pod pod, Func<string, V1ServiceAccount?> account, Func<string> suffix)
    {
        pod.Spec ??= new V1PodSpec();
        if (pod.Metadata?.Annotations?.ContainsKey(MirrorAnnotation) == true)
        {
            return;
        }

        if (string.IsNullOrEmpty(pod.Spec.ServiceAccountName))
        {
            pod.Spec.ServiceAccountName = string.IsNullOrEmpty(pod.Spec.ServiceAccount) ? "default" : pod.Spec.ServiceAccount;
        }

        var sa = account(pod.Spec.ServiceAccountName);
        if (sa is null && pod.Spec.ServiceAccountName != "default")
        {
            throw new ServiceAccountNotFoundException(pod.Metadata?.NamespaceProperty ?? "", pod.Spec.ServiceAccountName);
        }

        if ((pod.Spec.AutomountServiceAccountToken ?? sa?.AutomountServiceAccountToken ?? true) == false)
        {
            return;
        }

        var containers = (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? []).ToList();
        var needing = containers.Where(c => !(c.VolumeMounts ?? []).Any(m => m.MountPath == MountPath)).ToList();
        if (needing.Count == 0)
        {
            return;
        }

        var volumes = pod.Spec.Volumes ??= [];
        var name = volumes.FirstOrDefault(v => v.Name.StartsWith(VolumePrefix, StringComparison.Ordinal) && v.Projected is not null)?.Name;
        if (name is null)
        {
            name = VolumePrefix + suffix();
            volumes.Add(Volume(name));
        }

        foreach (var c in needing)
        {
            (c.VolumeMounts ??= []).Add(new V1VolumeMount { Name = name, MountPath = MountPath, ReadOnlyProperty = true });
        }
    }

    public static V1Volume Volume(string name) => new()
    {
        Name = name,
        Projected = new V1ProjectedVolumeSource
        {
            DefaultMode = 420,
            Sources =
            [
                new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { ExpirationSeconds = TokenExpirationSeconds, Path = "token" } },
                new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "kube-root-ca.crt", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] } },
                new V1VolumeProjection
                {
                    DownwardAPI = new V1DownwardAPIProjection
                    {
                        Items = [new V1DownwardAPIVolumeFile { Path = "namespace", FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.namespace" } }],
                    },
                },
            ],
        },
    };
}

/// <summary>A pod names a ServiceAccount that does not exist (the caller answers 403, as upstream's admission).</summary>
public sealed class ServiceAccountNotFoundException(string ns, string name)
    : Exception($"error looking up service account {ns}/{name}: serviceaccount \"{name}\" not found");
