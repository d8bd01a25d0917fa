using System.Text;
using k8s.Models;
using static KubeWeb.Agent.Runtime.Containerd.AtomicWriter;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// The volumes the agent sets up before containers start (the kubelet's volume manager):
/// configMap, secret, downwardAPI and projected volumes have their files written under the pod's
/// folder through <see cref="AtomicWriter"/> (bind-mounted read-only into the containers) and are
/// rewritten periodically, so a changed ConfigMap or a refreshed token reaches running containers;
/// secret and projected volumes and <c>medium: Memory</c> emptyDirs live on tmpfs; a
/// persistentVolumeClaim resolves to its bound volume's path on this node.
/// </summary>
internal static class PodVolumes
{
    private const int DefaultMode = 0b110_100_100; // 0644

    /// <summary>The kubelet plugin folder name of a volume the agent writes, or null.</summary>
    public static string? Plugin(V1Volume v) =>
        v.ConfigMap is not null ? "kubernetes.io~configmap"
        : v.Secret is not null ? "kubernetes.io~secret"
        : v.DownwardAPI is not null ? "kubernetes.io~downward-api"
        : v.Projected is not null ? "kubernetes.io~projected"
        : null;

    /// <summary>True for a volume that needs set-up before containers can mount it.</summary>
    public static bool NeedsSetup(V1Volume v) =>
        Plugin(v) is not null || v.PersistentVolumeClaim is not null || IsMemory(v);

    public static bool Any(V1Pod pod) => (pod.Spec.Volumes ?? []).Any(NeedsSetup);

    private static bool IsMemory(V1Volume v) => v.EmptyDir?.Medium == "Memory";

    /// <summary>Sets up every such volume; returns what could not be set up (with the kubelet's message) and where claims are.</summary>
    public static async Task<VolumeSetup> SyncAsync(IPodObjectSource? source, PodTokens tokens, V1Pod pod, PodFolders folders, CancellationToken ct)
    {
        var setup = new VolumeSetup();
        var volumes = (pod.Spec.Volumes ?? []).Where(NeedsSetup).ToList();
        if (volumes.Count == 0)
        {
            return setup;
        }

        var configMaps = volumes.Select(v => v.ConfigMap?.Name).Concat(volumes.SelectMany(v => v.Projected?.Sources ?? []).Select(s => s.ConfigMap?.Name)).OfType<string>();
        var secrets = volumes.Select(v => v.Secret?.SecretName).Concat(volumes.SelectMany(v => v.Projected?.Sources ?? []).Select(s => s.Secret?.Name)).OfType<string>();
        var objects = await PodObjects.FetchAsync(source, pod, configMaps, secrets, ct);
        foreach (var volume in volumes)
        {
            try
            {
                if (IsMemory(volume))
                {
                    Tmpfs.Ensure(folders.EmptyDir(volume.Name), volume.EmptyDir.SizeLimit is { } limit ? (long)limit.ToDecimal() : null);
                    continue;
                }

                if (volume.PersistentVolumeClaim is { } claim)
                {
                    setup.Claims[volume.Name] = await ClaimPathAsync(source, pod, volume.Name, claim.ClaimName, ct);
                    continue;
                }

                var payload = new Dictionary<string, FileEntry>(StringComparer.Ordinal);
                if (volume.ConfigMap is { } cm)
                {
                    AddConfigMap(payload, objects, cm.Name, cm.Items, cm.Optional, cm.DefaultMode);
                }
                else if (volume.Secret is { } secret)
                {
                    AddSecret(payload, objects, secret.SecretName, secret.Items, secret.Optional, secret.DefaultMode);
                }
                else if (volume.DownwardAPI is { } downward)
                {
                    AddDownward(payload, pod, downward.Items, downward.DefaultMode);
                }
                else if (volume.Projected is { } projected)
                {
                    foreach (var s in projected.Sources ?? [])
                    {
                        if (s.ConfigMap is { } pcm)
                        {
                            AddConfigMap(payload, objects, pcm.Name, pcm.Items, pcm.Optional, projected.DefaultMode);
                        }
                        else if (s.Secret is { } ps)
                        {
                            AddSecret(payload, objects, ps.Name, ps.Items, ps.Optional, projected.DefaultMode);
                        }
                        else if (s.DownwardAPI is { } pd)
                        {
                            AddDownward(payload, pod, pd.Items, projected.DefaultMode);
                        }
                        else if (s.ServiceAccountToken is { } sat)
                        {
                            var token = source is null
                                ? throw new ContainerConfigFactory.ConfigException("this node has no server to request a token from")
                                : await tokens.GetAsync(source, pod, sat.Audience, sat.ExpirationSeconds ?? 3600, ct);
                            payload[sat.Path] = new FileEntry(Encoding.UTF8.GetBytes(token), projected.DefaultMode ?? DefaultMode);
                        }
                        else
                        {
                            throw new ContainerConfigFactory.ConfigException($"volume {volume.Name}: only configMap, secret, downwardAPI and serviceAccountToken projections are supported by this node yet");
                        }
                    }
                }

                var dir = folders.Volume(Plugin(volume)!, volume.Name);
                if (volume.Secret is not null || volume.Projected is not null)
                {
                    Tmpfs.Ensure(dir, null, 0b111_101_101);
                }

                Write(dir, payload);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                setup.Errors[volume.Name] = volume.PersistentVolumeClaim is not null
                    ? $"Unable to attach or mount volumes: unmounted volumes=[{volume.Name}], unattached volumes=[{volume.Name}]: {e.Message}"
                    : $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {e.Message}";
            }
        }

        return setup;
    }

    /// <summary>The bound volume's path on this node (hostPath or local), created as a DirectoryOrCreate hostPath is.</summary>
    private static async Task<string> ClaimPathAsync(IPodObjectSource? source, V1Pod pod, string volume, string claimName, CancellationToken ct)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var prefix = $"error processing PVC {ns}/{claimName}: ";
        if (source is null)
        {
            throw new ContainerConfigFactory.ConfigException(prefix + "this node has no server to read it from");
        }

        var claim = await source.GetPersistentVolumeClaimAsync(pod, claimName, ct)
            ?? throw new ContainerConfigFactory.ConfigException(prefix + $"failed to fetch PVC from API server: persistentvolumeclaims \"{claimName}\" not found");
        if (string.IsNullOrEmpty(claim.Spec?.VolumeName) || claim.Status?.Phase != "Bound")
        {
            throw new ContainerConfigFactory.ConfigException(prefix + $"PVC {ns}/{claimName} has non-bound phase (\"{claim.Status?.Phase ?? "Pending"}\") or empty pvc.Spec.VolumeName (\"{claim.Spec?.VolumeName}\")");
        }

        var pv = await source.GetPersistentVolumeAsync(pod, claim.Spec.VolumeName, ct)
            ?? throw new ContainerConfigFactory.ConfigException(prefix + $"persistentvolumes \"{claim.Spec.VolumeName}\" not found");
        if (pv.Spec?.HostPath is { } hostPath)
        {
            if (!Directory.Exists(hostPath.Path) && hostPath.Type is null or "" or "DirectoryOrCreate")
            {
                Directory.CreateDirectory(hostPath.Path);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(hostPath.Path, (UnixFileMode)0b111_111_111);
                }
            }

            return Directory.Exists(hostPath.Path) || File.Exists(hostPath.Path)
                ? hostPath.Path
                : throw new ContainerConfigFactory.ConfigException($"MountVolume.SetUp failed for volume \"{volume}\" : hostPath type check failed: {hostPath.Path} does not exist");
        }

        if (pv.Spec?.Local is { } local)
        {
            return Directory.Exists(local.Path) || File.Exists(local.Path)
                ? local.Path
                : throw new ContainerConfigFactory.ConfigException($"MountVolume.NewMounter initialization failed for volume \"{claim.Spec.VolumeName}\" : path \"{local.Path}\" does not exist");
        }

        throw new ContainerConfigFactory.ConfigException(prefix + $"volume {claim.Spec.VolumeName}: only hostPath and local persistent volumes are supported by this node");
    }

    private static void AddConfigMap(Dictionary<string, FileEntry> payload, PodObjects objects, string name, IList<V1KeyToPath>? items, bool? optional, int? defaultMode)
    {
        var cm = objects.ConfigMap(name);
        if (cm is null)
        {
            if (optional == true)
            {
                return;
            }

            throw new ContainerConfigFactory.ConfigException($"configmap \"{name}\" not found");
        }

        AddKeys(payload, PodObjects.Entries(cm).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), items, optional, defaultMode, "configmap references non-existent config key");
    }

    private static void AddSecret(Dictionary<string, FileEntry> payload, PodObjects objects, string name, IList<V1KeyToPath>? items, bool? optional, int? defaultMode)
    {
        var secret = objects.Secret(name);
        if (secret is null)
        {
            if (optional == true)
            {
                return;
            }

            throw new ContainerConfigFactory.ConfigException($"secret \"{name}\" not found");
        }

        AddKeys(payload, PodObjects.Entries(secret).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal), items, optional, defaultMode, "references non-existent secret key");
    }

    private static void AddKeys(Dictionary<string, FileEntry> payload, Dictionary<string, byte[]> data, IList<V1KeyToPath>? items, bool? optional, int? defaultMode, string missing)
    {
        var mode = defaultMode ?? DefaultMode;
        if (items is null || items.Count == 0)
        {
            foreach (var (key, value) in data)
            {
                payload[key] = new FileEntry(value, mode);
            }

            return;
        }

        foreach (var item in items)
        {
            if (!data.TryGetValue(item.Key, out var value))
            {
                if (optional == true)
                {
                    continue;
                }

                throw new ContainerConfigFactory.ConfigException($"{missing}: {item.Key}");
            }

            payload[item.Path] = new FileEntry(value, item.Mode ?? mode);
        }
    }

    private static void AddDownward(Dictionary<string, FileEntry> payload, V1Pod pod, IList<V1DownwardAPIVolumeFile>? items, int? defaultMode)
    {
        foreach (var item in items ?? [])
        {
            var value = item.FieldRef is { } field ? ContainerConfigFactory.FieldValue(pod, field.FieldPath, pod.Status?.PodIP)
                : item.ResourceFieldRef is { } resource ? PodObjects.ResourceValue(pod, null, resource)
                : throw new ContainerConfigFactory.ConfigException($"downwardAPI item {item.Path} has no fieldRef or resourceFieldRef");
            payload[item.Path] = new FileEntry(Encoding.UTF8.GetBytes(value), item.Mode ?? defaultMode ?? DefaultMode);
        }
    }
}

/// <summary>The outcome of one volume set-up pass.</summary>
internal sealed class VolumeSetup
{
    /// <summary>Volumes that could not be set up, with the kubelet's FailedMount message.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>persistentVolumeClaim volumes → their path on this node.</summary>
    public Dictionary<string, string> Claims { get; } = new(StringComparer.Ordinal);
}
