using k8s;
using k8s.Models;

namespace KubeWeb.Api.Storage;

public enum WatchEventType : short
{
    Added = 0,
    Modified = 1,
    Deleted = 2,
}

/// <summary>
/// One object as the store holds it. Immutable by convention: <see cref="Object"/> is shared by every
/// reader and must never be mutated (copy it with <see cref="ObjectCopier"/> first).
/// </summary>
public sealed class StoredObject
{
    public required string Resource { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required long ResourceVersion { get; init; }

    /// <summary>The serialized object, with kind, apiVersion and metadata.resourceVersion.</summary>
    public required byte[] Json { get; init; }

    public required IKubernetesObject<V1ObjectMeta> Object { get; init; }

    public string Key => Namespace.Length == 0 ? Name : Namespace + "/" + Name;
}

/// <summary>A committed change. <see cref="Previous"/> is the state before it (null for ADDED).</summary>
public sealed record StoreEvent(WatchEventType Type, StoredObject Object, StoredObject? Previous)
{
    public long Revision => Object.ResourceVersion;
}
