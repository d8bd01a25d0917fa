using System.Diagnostics.CodeAnalysis;
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
    private IKubernetesObject<V1ObjectMeta>? _object;
    private ObjectCodec? _codec;

    public StoredObject()
    {
    }

    /// <summary>An object kept only as its encoding (log rows, superseded history): <see cref="Object"/> decodes on each read.</summary>
    // Object is computed from Json through the codec here, so it has no value of its own to set.
#pragma warning disable CS8618
    [SetsRequiredMembers]
    private StoredObject(string resource, string ns, string name, long resourceVersion, byte[] json, ObjectCodec codec)
    {
        Resource = resource;
        Namespace = ns;
        Name = name;
        ResourceVersion = resourceVersion;
        Json = json;
        _codec = codec;
    }
#pragma warning restore CS8618

    public required string Resource { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required long ResourceVersion { get; init; }

    /// <summary>The serialized object, with kind, apiVersion and metadata.resourceVersion.</summary>
    public required byte[] Json { get; init; }

    /// <summary>
    /// The decoded object, without metadata.managedFields (read them from <see cref="Json"/>). The
    /// watch cache keeps it decoded while the object is current (and briefly after, while watchers
    /// catch up); an older version in the history keeps only <see cref="Json"/> and is decoded again
    /// on each read, a fresh but equal object every time.
    /// </summary>
    public required IKubernetesObject<V1ObjectMeta> Object
    {
        get => Volatile.Read(ref _object) ?? _codec!.DecodeShared(Resource, Json);
        init => _object = value;
    }

    /// <summary>Whether the decoded form is held (false once released: reads decode <see cref="Json"/>).</summary>
    internal bool IsDecoded => Volatile.Read(ref _object) is not null;

    public string Key => Namespace.Length == 0 ? Name : Namespace + "/" + Name;

    /// <summary>An object read from the log: nothing is decoded until <see cref="Object"/> is read.</summary>
    internal static StoredObject Encoded(string resource, string ns, string name, long resourceVersion, byte[] json, ObjectCodec codec) =>
        new(resource, ns, name, resourceVersion, json, codec);

    /// <summary>
    /// Drops the decoded form of a version no longer current, so the history holds only its bytes.
    /// The decoder is set before the object is cleared: a concurrent reader sees one or the other.
    /// </summary>
    internal void ReleaseDecoded(ObjectCodec codec)
    {
        _codec ??= codec;

        Volatile.Write(ref _object, null);
    }
}

/// <summary>A committed change. <see cref="Previous"/> is the state before it (null for ADDED).</summary>
public sealed record StoreEvent(WatchEventType Type, StoredObject Object, StoredObject? Previous)
{
    public long Revision => Object.ResourceVersion;
}
