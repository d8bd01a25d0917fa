using System.Text;
using k8s.Models;
using static KubeWeb.Agent.Runtime.Containerd.AtomicWriter;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// configMap, secret, downwardAPI and projected volumes: the agent writes their files under the pod's
/// folder through <see cref="AtomicWriter"/> (bind-mounted read-only into the containers) and
/// rewrites them periodically, so a changed ConfigMap reaches running containers.
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

    public static bool Any(V1Pod pod) => (pod.Spec.Volumes ?? []).Any(v => Plugin(v) is not null);

    /// <summary>Writes every such volume; returns the volumes that could not be written, with the reason.</summary>
    public static async Task<Dictionary<string, string>> SyncAsync(IPodObjectSource? source, V1Pod pod, PodFolders folders, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var volumes = (pod.Spec.Volumes ?? []).Where(v => Plugin(v) is not null).ToList();
        if (volumes.Count == 0)
        {
            return errors;
        }

        var configMaps = volumes.Select(v => v.ConfigMap?.Name).Concat(volumes.SelectMany(v => v.Projected?.Sources ?? []).Select(s => s.ConfigMap?.Name)).OfType<string>();
        var secrets = volumes.Select(v => v.Secret?.SecretName).Concat(volumes.SelectMany(v => v.Projected?.Sources ?? []).Select(s => s.Secret?.Name)).OfType<string>();
        var objects = await PodObjects.FetchAsync(source, pod, configMaps, secrets, ct);
        foreach (var volume in volumes)
        {
            try
            {
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
                        else
                        {
                            throw new ContainerConfigFactory.ConfigException($"volume {volume.Name}: only configMap, secret and downwardAPI projections are supported by this node yet");
                        }
                    }
                }

                Write(folders.Volume(Plugin(volume)!, volume.Name), payload);
            }
            catch (Exception e) when (e is ContainerConfigFactory.ConfigException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                errors[volume.Name] = $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {e.Message}";
            }
        }

        return errors;
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
