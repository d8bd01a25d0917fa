using System.Text.Json.Serialization;
using k8s.Models;

namespace KubeWeb.Core.Serialization;

/// <summary>
/// Source-generated JSON metadata for the Kubernetes objects the node agent reads and writes
/// (pods and their status, the Node, the objects pods mount). <see cref="KubeJson"/> resolves
/// through it first where the runtime cannot generate code (the NativeAOT kubeweb-agent); with
/// the JIT everything keeps using KubernetesClient's reflection metadata. Same wire format: the
/// models name every property with [JsonPropertyName], and KubeJson's converters apply to both.
/// </summary>
[JsonSerializable(typeof(V1Pod))]
[JsonSerializable(typeof(V1PodStatus))]
[JsonSerializable(typeof(V1Node))]
[JsonSerializable(typeof(V1NodeStatus))]
[JsonSerializable(typeof(V1ConfigMap))]
[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(V1PersistentVolumeClaim))]
[JsonSerializable(typeof(V1PersistentVolume))]
[JsonSerializable(typeof(V1Status))]
internal sealed partial class KubeModelsJsonContext : JsonSerializerContext;
