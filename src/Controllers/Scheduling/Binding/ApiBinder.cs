using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeWeb.Controllers.Scheduling.Binding;

/// <summary>
/// Binds through the official client's <c>CreateNamespacedPodBindingAsync</c>. A 429 (the API's
/// in-flight limit) is retried after its Retry-After, as client-go does, instead of sending the pod
/// through the scheduler's back-off: under a burst of creates that back-off held thousands of
/// already-placed pods for a second or more each.
/// </summary>
internal sealed class ApiBinder(IKubernetes client, TimeProvider time) : IBinder
{
    private const int MaxThrottledAttempts = 10;
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(1);

    public async Task BindAsync(V1Pod pod, string nodeName, CancellationToken ct)
    {
        var binding = new V1Binding
        {
            ApiVersion = "v1",
            Kind = "Binding",
            Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid },
            Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = nodeName },
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.CoreV1.CreateNamespacedPodBindingAsync(binding, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
            {
                throw new BindConflictException(e.Response.Content ?? e.Message, e);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.TooManyRequests && attempt < MaxThrottledAttempts)
            {
                await Task.Delay(RetryAfter(e.Response), time, ct);
            }
        }
    }

    private static TimeSpan RetryAfter(HttpResponseMessageWrapper response)
    {
        var seconds = response.Headers.TryGetValue("Retry-After", out var values)
            && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 1;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxRetryAfter.TotalSeconds));
    }
}
