using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeWeb.Web.Logs;

/// <summary>Pod logs through the official client as the signed-in user (so the API's authorization applies).</summary>
internal sealed class ApiPodLogs(Kubernetes client) : IPodLogApi
{
    public Task<Stream> OpenAsync(string ns, LogSource source, LogRequest request, CancellationToken ct) =>
        client.CoreV1.ReadNamespacedPodLogAsync(source.Pod, ns, container: source.Container, follow: request.Follow, previous: request.Previous,
            sinceSeconds: request.SinceSeconds, tailLines: request.TailLines, timestamps: true, cancellationToken: ct);

    public async Task<ContainerRunState> StateAsync(string ns, LogSource source, CancellationToken ct)
    {
        V1Pod pod;
        try
        {
            pod = await client.CoreV1.ReadNamespacedPodAsync(source.Pod, ns, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return ContainerRunState.Gone;
        }

        return State(pod, source.Container);
    }

    internal static ContainerRunState State(V1Pod pod, string container)
    {
        if (pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return ContainerRunState.Gone;
        }

        var status = (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []).FirstOrDefault(s => s.Name == container);
        return status?.State switch
        {
            { Running: not null } => ContainerRunState.Running,
            { Terminated: not null } when pod.Spec?.RestartPolicy == "Never" || pod.Status?.Phase is "Succeeded" or "Failed" => ContainerRunState.Gone,
            _ when pod.Status?.Phase is "Succeeded" or "Failed" => ContainerRunState.Gone,
            _ => ContainerRunState.NotStarted,
        };
    }
}
