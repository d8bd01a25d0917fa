using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeWeb.Controllers.Runtime;

namespace KubeWeb.Controllers.Scheduling.Binding;

/// <summary>
/// Binds through the official client's <c>CreateNamespacedPodBindingAsync</c>. A 429 is retried
/// after its Retry-After (<see cref="Throttling"/>) rather than sending an already placed pod
/// through the scheduler's back-off. First, as upstream's VolumeBinding PreBind, unbound
/// WaitForFirstConsumer claims of the pod are given the chosen node
/// (<c>volume.kubernetes.io/selected-node</c>) and awaited until bound (at most
/// <see cref="ClaimBindTimeout"/>; the agent waits for them after that).
/// </summary>
internal sealed class ApiBinder(IKubernetes client, TimeProvider time, Plugins.IVolumeLister? volumes = null) : IBinder
{
    public static readonly TimeSpan ClaimBindTimeout = TimeSpan.FromSeconds(30);

    public async Task BindAsync(V1Pod pod, string nodeName, CancellationToken ct)
    {
        if (volumes is not null)
        {
            await BindClaimsAsync(pod, nodeName, ct);
        }

        var binding = new V1Binding
        {
            ApiVersion = "v1",
            Kind = "Binding",
            Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid },
            Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = nodeName },
        };
        try
        {
            await Throttling.RetryAsync(
                () => client.CoreV1.CreateNamespacedPodBindingAsync(binding, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct), time, ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            throw new BindConflictException(e.Response.Content ?? e.Message, e);
        }
    }

    private async Task BindClaimsAsync(V1Pod pod, string nodeName, CancellationToken ct)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var waiting = new List<string>();
        foreach (var name in Core.Agents.PodObjectReferences.Claims(pod))
        {
            if (volumes!.Claim(ns, name) is not { } claim || !string.IsNullOrEmpty(claim.Spec?.VolumeName)
                || (claim.Spec?.StorageClassName is { Length: > 0 } cls ? volumes.StorageClass(cls) : null)?.VolumeBindingMode != "WaitForFirstConsumer")
            {
                continue;
            }

            waiting.Add(name);
            if (claim.Metadata.Annotations?.TryGetValue(Volumes.PersistentVolumeController.SelectedNode, out var selected) != true || selected != nodeName)
            {
                var patch = new V1Patch(new { metadata = new { annotations = new Dictionary<string, string> { [Volumes.PersistentVolumeController.SelectedNode] = nodeName } } },
                    V1Patch.PatchType.MergePatch);
                await client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, name, ns, cancellationToken: ct);
            }
        }

        var deadline = time.GetUtcNow() + ClaimBindTimeout;
        while (waiting.Count > 0 && time.GetUtcNow() < deadline)
        {
            waiting.RemoveAll(name => volumes!.Claim(ns, name) is not { } c || c.Status?.Phase == "Bound");
            if (waiting.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, ct);
            }
        }
    }
}
