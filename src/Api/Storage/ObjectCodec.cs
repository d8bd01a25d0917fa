using System.Text.Json;
using k8s;
using k8s.Models;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Storage;

/// <summary>Turns stored JSON into the storage version's typed model and back.</summary>
public sealed class ObjectCodec
{
    private readonly Dictionary<string, ResourceType> _storage;

    public ObjectCodec(ResourceRegistry registry) =>
        _storage = registry.All.Where(t => t.StorageOverride is null).ToDictionary(t => t.StorageResource);

    public ResourceType StorageType(string resource) => _storage[resource];

    public IKubernetesObject<V1ObjectMeta> Decode(string resource, ReadOnlySpan<byte> json) =>
        (IKubernetesObject<V1ObjectMeta>)JsonSerializer.Deserialize(json, _storage[resource].ClrType, KubeJson.Options)!;

    /// <summary>
    /// Decodes an object the store keeps and shares (<see cref="StoredObject.Object"/>): without
    /// metadata.managedFields, which stay in the encoding, the only place the server reads them from.
    /// </summary>
    public IKubernetesObject<V1ObjectMeta> DecodeShared(string resource, ReadOnlySpan<byte> json) =>
        (IKubernetesObject<V1ObjectMeta>)JsonSerializer.Deserialize(json, _storage[resource].ClrType, KubeJson.WithoutManagedFields)!;

    /// <summary>Drops metadata.managedFields from a decoded object the store is about to share (a large share of a pod's decoded size).</summary>
    public static IKubernetesObject<V1ObjectMeta> WithoutManagedFields(IKubernetesObject<V1ObjectMeta> obj)
    {
        if (obj.Metadata is { } meta)
        {
            meta.ManagedFields = null;
        }

        return obj;
    }

    public byte[] Encode(string resource, IKubernetesObject<V1ObjectMeta> obj)
    {
        var type = _storage[resource];
        obj.ApiVersion = type.ApiVersion;
        obj.Kind = type.Kind;
        return JsonSerializer.SerializeToUtf8Bytes(obj, type.ClrType, KubeJson.Options);
    }

    /// <summary>A private, mutable copy of a stored object.</summary>
    public IKubernetesObject<V1ObjectMeta> Copy(StoredObject stored) => Decode(stored.Resource, stored.Json);
}
