using k8s;
using k8s.Models;

namespace KubeWeb.Controllers.Tests.Apps;

/// <summary>
/// Stands in for the node agent on a branch without one: every pod that appears in the namespace
/// is reported Running with Ready and ContainersReady True through pods/status, as a kubelet would.
/// </summary>
internal sealed class FakeKubelet : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeKubelet(IKubernetes client, string ns, Func<V1Pod, bool>? shouldBeReady = null)
    {
        _loop = Task.Run(() => RunAsync(client, ns, shouldBeReady ?? (_ => true), _stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static async Task RunAsync(IKubernetes client, string ns, Func<V1Pod, bool> shouldBeReady, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var pods = await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: ct);
                foreach (var pod in pods.Items)
                {
                    if (pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase == "Running" || !shouldBeReady(pod))
                    {
                        continue;
                    }

                    var now = DateTime.UtcNow;
                    pod.Status ??= new V1PodStatus();
                    pod.Status.Phase = "Running";
                    pod.Status.StartTime = now;
                    pod.Status.PodIP = "10.244.0.10";
                    pod.Status.Conditions =
                    [
                        new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = now },
                        new V1PodCondition { Type = "Initialized", Status = "True", LastTransitionTime = now },
                        new V1PodCondition { Type = "ContainersReady", Status = "True", LastTransitionTime = now },
                        new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = now },
                    ];
                    pod.Status.ContainerStatuses = [.. pod.Spec.Containers.Select(c => new V1ContainerStatus
                    {
                        Name = c.Name,
                        Image = c.Image,
                        ImageID = "",
                        Ready = true,
                        Started = true,
                        RestartCount = 0,
                        State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = now } },
                    })];
                    try
                    {
                        await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, pod.Metadata.Name, ns, cancellationToken: ct);
                    }
                    catch (k8s.Autorest.HttpOperationException)
                    {
                        // Deleted or changed meanwhile; the next pass sees the current pod.
                    }
                }

                await Task.Delay(100, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
            {
                await Task.Delay(200, ct);
            }
        }
    }
}
