using System.Globalization;
using System.Text;
using k8s.Models;
using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>The ConfigMaps and Secrets read for one container start or one volume sync (null: not found).</summary>
internal sealed class PodObjects
{
    public static readonly PodObjects Empty = new();

    public Dictionary<string, V1ConfigMap?> ConfigMaps { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, V1Secret?> Secrets { get; } = new(StringComparer.Ordinal);

    /// <summary>Errors reading an object (not "not found"), by kind/name.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public static async Task<PodObjects> FetchAsync(IPodObjectSource? source, V1Pod pod, IEnumerable<string> configMaps, IEnumerable<string> secrets, CancellationToken ct)
    {
        var result = new PodObjects();
        foreach (var name in configMaps.Distinct(StringComparer.Ordinal))
        {
            try
            {
                result.ConfigMaps[name] = source is null ? throw new InvalidOperationException("this node has no server to read it from") : await source.GetConfigMapAsync(pod, name, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                result.Errors[PodObjectReferences.ConfigMap + "/" + name] = $"failed to read configmap \"{name}\": {e.Message}";
            }
        }

        foreach (var name in secrets.Distinct(StringComparer.Ordinal))
        {
            try
            {
                result.Secrets[name] = source is null ? throw new InvalidOperationException("this node has no server to read it from") : await source.GetSecretAsync(pod, name, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                result.Errors[PodObjectReferences.Secret + "/" + name] = $"failed to read secret \"{name}\": {e.Message}";
            }
        }

        return result;
    }

    /// <summary>The ConfigMap, null when missing; throws on a read error.</summary>
    public V1ConfigMap? ConfigMap(string name) =>
        Errors.TryGetValue(PodObjectReferences.ConfigMap + "/" + name, out var error) ? throw new ContainerConfigFactory.ConfigException(error)
        : ConfigMaps.TryGetValue(name, out var cm) ? cm : null;

    public V1Secret? Secret(string name) =>
        Errors.TryGetValue(PodObjectReferences.Secret + "/" + name, out var error) ? throw new ContainerConfigFactory.ConfigException(error)
        : Secrets.TryGetValue(name, out var s) ? s : null;

    /// <summary>A ConfigMap's keys (data, then binaryData) with their bytes.</summary>
    public static IEnumerable<KeyValuePair<string, byte[]>> Entries(V1ConfigMap cm) =>
        (cm.Data ?? new Dictionary<string, string>()).Select(d => new KeyValuePair<string, byte[]>(d.Key, Encoding.UTF8.GetBytes(d.Value ?? "")))
            .Concat(cm.BinaryData ?? new Dictionary<string, byte[]>());

    public static IEnumerable<KeyValuePair<string, byte[]>> Entries(V1Secret s) =>
        (s.Data ?? new Dictionary<string, byte[]>())
            .Concat((s.StringData ?? new Dictionary<string, string>()).Select(d => new KeyValuePair<string, byte[]>(d.Key, Encoding.UTF8.GetBytes(d.Value ?? ""))));

    /// <summary>
    /// A resourceFieldRef's value as the kubelet computes it: CPU rounded up to the divisor, memory
    /// and storage divided and rounded up; a missing limit is the node's capacity, a missing request
    /// the limit (or 0).
    /// </summary>
    public static string ResourceValue(V1Pod pod, V1Container? self, V1ResourceFieldSelector selector)
    {
        var container = string.IsNullOrEmpty(selector.ContainerName)
            ? self
            : (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []).FirstOrDefault(c => c.Name == selector.ContainerName);
        if (container is null)
        {
            throw new ContainerConfigFactory.ConfigException($"resourceFieldRef: container {selector.ContainerName} not found");
        }

        var parts = selector.Resource.Split('.', 2);
        if (parts.Length != 2 || parts[0] is not ("limits" or "requests"))
        {
            throw new ContainerConfigFactory.ConfigException($"unsupported container resource : {selector.Resource}");
        }

        var resource = parts[1];
        decimal? Get(IDictionary<string, ResourceQuantity>? map) => map is not null && map.TryGetValue(resource, out var q) ? q.ToDecimal() : null;
        var limit = Get(container.Resources?.Limits);
        var value = parts[0] == "limits"
            ? limit ?? Capacity(resource)
            : Get(container.Resources?.Requests) ?? limit ?? 0m;
        var divisor = selector.Divisor?.ToDecimal() is { } d && d > 0 ? d : 1m;
        return ((long)Math.Ceiling(value / divisor)).ToString(CultureInfo.InvariantCulture);
    }

    private static decimal Capacity(string resource) => resource switch
    {
        "cpu" => Environment.ProcessorCount,
        "memory" => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        "ephemeral-storage" => new DriveInfo("/").TotalSize,
        _ => 0m,
    };
}
