using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Agent.StaticPods;

/// <summary>
/// One pod manifest file turned into the static pod the node runs, as the kubelet's file source
/// does: named <c>NAME-NODE</c>, in its namespace (default <c>default</c>), bound to the node, with
/// a uid that is a hash of the manifest and node name (so the same file always means the same
/// pod, across agent restarts, and an edit means a new pod), recorded in
/// <c>kubernetes.io/config.hash</c> with <c>kubernetes.io/config.source: file</c>.
/// </summary>
public static class StaticPodManifest
{
    /// <summary>File names the source reads: YAML or JSON, not hidden (editors' swap files start with a dot).</summary>
    public static bool IsManifest(string path)
    {
        var name = Path.GetFileName(path);
        return !name.StartsWith('.') &&
               (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal));
    }

    /// <summary>Parses a manifest; JSON is read as YAML. YAML is turned into JSON and read as JSON, as Kubernetes does.</summary>
    /// <exception cref="FormatException">Not a v1 Pod, or no name.</exception>
    public static V1Pod Parse(string text, string nodeName)
    {
        V1Pod? manifest;
        try
        {
            manifest = KubeJson.Deserialize<V1Pod>(YamlToJson.Convert(text));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new FormatException($"not a pod manifest: {e.Message}", e);
        }

        if (manifest is null || manifest.Kind is not ("Pod" or null) || manifest.ApiVersion is not ("v1" or null))
        {
            throw new FormatException($"expected kind Pod of apiVersion v1, got {manifest?.Kind} {manifest?.ApiVersion}");
        }

        if (string.IsNullOrEmpty(manifest.Metadata?.Name))
        {
            throw new FormatException("the pod has no metadata.name");
        }

        if (manifest.Spec?.Containers is not { Count: > 0 })
        {
            throw new FormatException("the pod has no containers");
        }

        manifest.Kind = "Pod";
        manifest.ApiVersion = "v1";
        manifest.Metadata.NamespaceProperty = string.IsNullOrEmpty(manifest.Metadata.NamespaceProperty) ? "default" : manifest.Metadata.NamespaceProperty;
        var hash = Hash(manifest, nodeName);

        var pod = KubeJson.Deserialize<V1Pod>(KubeJson.SerializeToUtf8(manifest))!;
        pod.Metadata.Name = $"{manifest.Metadata.Name}-{nodeName}";
        pod.Metadata.Uid = hash;
        pod.Metadata.ResourceVersion = null;
        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        pod.Metadata.Annotations[StaticPodAnnotations.Hash] = hash;
        pod.Metadata.Annotations[StaticPodAnnotations.Source] = "file";
        pod.Spec.NodeName = nodeName;
        pod.Status = null;
        return pod;
    }

    /// <summary>The mirror the API shows for <paramref name="staticPod"/>: the same pod with the mirror annotation and no uid.</summary>
    public static V1Pod Mirror(V1Pod staticPod, DateTime seen)
    {
        var mirror = KubeJson.Deserialize<V1Pod>(KubeJson.SerializeToUtf8(staticPod))!;
        mirror.Metadata.Uid = null;
        mirror.Metadata.Annotations[StaticPodAnnotations.Mirror] = staticPod.Metadata.Uid;
        mirror.Metadata.Annotations[StaticPodAnnotations.Seen] = seen.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return mirror;
    }

    private static string Hash(V1Pod manifest, string nodeName)
    {
        var bytes = SHA256.HashData([.. Encoding.UTF8.GetBytes(nodeName + "\n"), .. KubeJson.SerializeToUtf8(manifest)]);
        return Convert.ToHexString(bytes, 0, 16).ToLowerInvariant();
    }
}
