using k8s;
using k8s.Models;
using KubeWeb.Controllers.Runtime;

namespace KubeWeb.Controllers.Apps;

/// <summary>
/// The side effects a workload controller has on pods (upstream PodControlInterface); the seam
/// unit tests replace with a recording fake.
/// </summary>
internal interface IPodControl
{
    Task<V1Pod> CreateAsync(string ns, V1PodTemplateSpec template, V1OwnerReference controllerRef, CancellationToken ct);

    Task DeleteAsync(string ns, string name, string uid, CancellationToken ct);

    /// <summary>Replaces the pod's ownerReferences (adopt or release), guarded by the pod's uid and resourceVersion.</summary>
    Task SetOwnerReferencesAsync(V1Pod pod, IList<V1OwnerReference> ownerReferences, CancellationToken ct);
}

/// <summary><see cref="IPodControl"/> through the API; creates and deletes wait out a 429 (<see cref="Throttling"/>).</summary>
internal sealed class ApiPodControl(IKubernetes client, TimeProvider time) : IPodControl
{
    public Task<V1Pod> CreateAsync(string ns, V1PodTemplateSpec template, V1OwnerReference controllerRef, CancellationToken ct)
    {
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = controllerRef.Name + "-",
                NamespaceProperty = ns,
                Labels = template.Metadata?.Labels is { } l ? new Dictionary<string, string>(l) : null,
                Annotations = template.Metadata?.Annotations is { } a ? new Dictionary<string, string>(a) : null,
                Finalizers = template.Metadata?.Finalizers is { } f ? [.. f] : null,
                OwnerReferences = [controllerRef],
            },
            Spec = ObjectCopy.Clone(template.Spec),
        };
        return Throttling.RetryAsync(() => client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: ct), time, ct);
    }

    public async Task DeleteAsync(string ns, string name, string uid, CancellationToken ct)
    {
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid } };
        await Throttling.RetryAsync(() => client.CoreV1.DeleteNamespacedPodAsync(name, ns, options, cancellationToken: ct), time, ct);
    }

    public async Task SetOwnerReferencesAsync(V1Pod pod, IList<V1OwnerReference> ownerReferences, CancellationToken ct)
    {
        var patch = new
        {
            metadata = new
            {
                uid = pod.Metadata.Uid,
                resourceVersion = pod.Metadata.ResourceVersion,
                ownerReferences,
            },
        };
        await client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch(System.Text.Json.JsonSerializer.Serialize(patch, Core.Serialization.KubeJson.Options), V1Patch.PatchType.MergePatch),
            pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
    }
}
