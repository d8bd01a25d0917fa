using System.Text.Json.Nodes;
using k8s.Models;
using KubeWeb.Core.Informers;
using KubeWeb.Web.Api;
using KubeWeb.Web.Rollouts;

namespace KubeWeb.Web.Nodes;

public enum DrainStepState
{
    Waiting,
    Evicting,
    Retrying,
    Terminating,
    Gone,
    Failed,
}

/// <summary>Where one pod of a drain is; <see cref="Detail"/> says why it retries or failed.</summary>
public sealed record DrainStep(string Namespace, string Name, DrainStepState State, string? Detail);

/// <summary>
/// Cordon and drain as <c>kubectl drain --ignore-daemonsets</c>: mark the node unschedulable, evict
/// the planned pods in parallel (a 429 from a disruption budget is retried every few seconds), then
/// wait until each is gone or replaced by a pod with another uid. The caller cancels to stop waiting.
/// </summary>
public sealed class NodeDrainer(ConsoleApi api, TimeProvider time)
{
    public static readonly TimeSpan EvictionRetry = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public Task CordonAsync(string node, bool unschedulable, CancellationToken ct) =>
        api.PatchAsync(Type("nodes"), null, node, new JsonObject { ["spec"] = new JsonObject { ["unschedulable"] = unschedulable } },
            RolloutPatches.MergePatch, ct);

    /// <summary>Lists the node's pods (all namespaces) and applies kubectl's filters.</summary>
    public async Task<DrainPlan> PlanAsync(string node, bool force, bool deleteEmptyDirData, CancellationToken ct)
    {
        var page = await api.Resources.ListAsync<V1Pod>(Type("pods"), null, null, $"spec.nodeName={node}", null, 0, null, ct);
        return DrainPlan.Build(node, page.Items, force, deleteEmptyDirData);
    }

    /// <summary>Cordons, then evicts every pod the plan evicts; true when all are gone before <paramref name="timeout"/>.</summary>
    public async Task<bool> DrainAsync(DrainPlan plan, TimeSpan timeout, Action<DrainStep> report, CancellationToken ct)
    {
        await CordonAsync(plan.Node, true, ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var results = await Task.WhenAll(plan.ToEvict.Select(item => EvictAndWaitAsync(item, report, deadline.Token, ct)));
        return results.All(ok => ok);
    }

    private async Task<bool> EvictAndWaitAsync(DrainItem item, Action<DrainStep> report, CancellationToken deadline, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                report(new DrainStep(item.Namespace, item.Name, DrainStepState.Evicting, null));
                try
                {
                    await api.EvictAsync(item.Namespace, item.Name, deadline);
                    break;
                }
                catch (ApiStatusException e) when (e.Code == 404)
                {
                    report(new DrainStep(item.Namespace, item.Name, DrainStepState.Gone, null));
                    return true;
                }
                catch (ApiStatusException e) when (e.Code == 429)
                {
                    report(new DrainStep(item.Namespace, item.Name, DrainStepState.Retrying, e.Status.Message ?? "a disruption budget blocks it"));
                    await Task.Delay(EvictionRetry, time, deadline);
                }
            }

            report(new DrainStep(item.Namespace, item.Name, DrainStepState.Terminating, null));
            while (true)
            {
                var pod = await api.Resources.GetAsync<V1Pod>(Type("pods"), item.Namespace, item.Name, deadline);
                if (pod is null || pod.Metadata.Uid != item.Uid)
                {
                    report(new DrainStep(item.Namespace, item.Name, DrainStepState.Gone, null));
                    return true;
                }

                await Task.Delay(PollInterval, time, deadline);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            report(new DrainStep(item.Namespace, item.Name, DrainStepState.Failed, "timed out waiting for it to go"));
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            report(new DrainStep(item.Namespace, item.Name, DrainStepState.Failed, ApiErrors.Describe(e).ToString()));
            return false;
        }
    }

    private static Core.Resources.ResourceType Type(string plural) => ConsoleKinds.ByPlural(plural)!.Type;
}
