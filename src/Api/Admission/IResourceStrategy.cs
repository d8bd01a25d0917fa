using k8s;
using k8s.Models;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Admission;

/// <summary>
/// What one kind adds to the generic handler: defaulting, validation, which parts of an update
/// stick (spec vs status), and which fields a field selector can read. Objects passed in are
/// private copies owned by the caller for the duration of the call; strategies may mutate
/// <c>obj</c> but never <c>old</c>.
/// </summary>
public interface IResourceStrategy
{
    /// <summary>The storage resource (see <see cref="ResourceType.StorageResource"/>).</summary>
    string StorageResource { get; }

    /// <summary>Fill in defaults as the Kubernetes defaulters do. Runs on create and on update.</summary>
    void Default(IKubernetesObject<V1ObjectMeta> obj);

    /// <summary>On create: reset what a client may not set (e.g. status for most kinds).</summary>
    void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj);

    /// <summary>On update of the main resource: keep the stored status (kinds with a status subresource).</summary>
    void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    /// <summary>On update of the status subresource: keep the stored spec (everything but status and metadata).</summary>
    void PrepareForStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    /// <summary>Object-specific validation for create (metadata is validated by the handler).</summary>
    IEnumerable<FieldError> ValidateCreate(IKubernetesObject<V1ObjectMeta> obj);

    /// <summary>Validation for update, including immutable fields.</summary>
    IEnumerable<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    /// <summary>Validation for a status update.</summary>
    IEnumerable<FieldError> ValidateStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    /// <summary>
    /// The value of a field-selector field for this object, or null when the kind does not support
    /// that field (the handler then answers 400). metadata.name and metadata.namespace are handled by the caller.
    /// </summary>
    string? GetField(IKubernetesObject<V1ObjectMeta> obj, string field);

    /// <summary>Why <paramref name="name"/> is not a valid name for this kind, or null when it is.</summary>
    string? ValidateName(string name);

    /// <summary>True when the generation should be bumped (spec changed).</summary>
    bool SpecChanged(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);
}
