using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeWeb.Controllers.Runtime;

namespace KubeWeb.Controllers.Scheduling.Binding;

/// <summary>
/// Binds through the official client's <c>CreateNamespacedPodBindingAsync</c>. A 429 is retried
/// after its Retry-After (<see cref="Throttling"/>) rather than sending an already placed pod
/// through the scheduler's back-off.
/// </summary>
internal sealed class ApiBinder(IKubernetes client, TimeProvider time) : IBinder
{
    public async Task BindAsync(V1Pod pod, string nodeName, CancellationToken ct)
    {
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
}
