using System.Text.Json;
using k8s.Models;
using KubeWeb.Api.Admission.Strategies;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Selectors;
using KubeWeb.Core.Serialization;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Http;

public sealed partial class ResourceHandler
{
    private const string BudgetViolated = "Cannot evict pod as it would violate the pod's disruption budget.";

    /// <summary>Evictions the disruption controller has not confirmed yet, beyond which a budget refuses more (upstream's MaxDisruptedPodSize).</summary>
    private const int MaxDisruptedPods = 2000;

    /// <summary>
    /// POST pods/{name}/eviction: a delete that respects the pod's PodDisruptionBudget, as
    /// kube-apiserver's eviction subresource. A pod that is finished, pending or already deleting
    /// goes without asking; otherwise its one budget (more than one is refused) must allow a
    /// disruption, which this eviction takes by decrementing <c>status.disruptionsAllowed</c> and
    /// recording the pod in <c>status.disruptedPods</c>; none left answers 429, which
    /// <c>kubectl drain</c> retries. A pod that is not ready takes nothing when its budget is
    /// already met (or says AlwaysAllow), and is then deleted only if it is still the version
    /// judged. The pod gets the DisruptionTarget condition before it is deleted.
    /// </summary>
    private async Task EvictAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var (node, _, _) = await ObjectDecoder.ReadNodeAsync(ctx);
        var eviction = node.Deserialize<V1Eviction>(KubeJson.Options);
        var options = eviction?.DeleteOptions ?? new V1DeleteOptions();
        var opts = WriteOptions.From(ctx.Request, "update");
        if (opts.DryRun)
        {
            options.DryRun = ["All"];
        }

        var dryRun = options.DryRun?.Contains("All") == true;
        var current = Require(type, info);
        var pod = (V1Pod)current.Object;
        if (!IgnoresBudgets(pod))
        {
            var budgets = BudgetsOf(pod);
            if (budgets.Count > 1)
            {
                throw new ApiError(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }

            if (budgets.Count == 1 && !await TakeDisruptionAsync(budgets[0], pod, opts with { DryRun = dryRun }, ctx.RequestAborted))
            {
                // Deleted without taking a disruption because it is not ready: only while it still is not.
                options.Preconditions ??= new V1Preconditions();
                options.Preconditions.ResourceVersion ??= current.ResourceVersion.ToString();
            }
        }

        if (!dryRun && pod.Status?.Phase is not ("Succeeded" or "Failed"))
        {
            var marked = await MarkDisruptionTargetAsync(type, info, options.Preconditions, opts, ctx.RequestAborted);
            if (options.Preconditions?.ResourceVersion is { Length: > 0 })
            {
                // The condition is this eviction's own write: the delete checks against it.
                options.Preconditions.ResourceVersion = marked.ResourceVersion.ToString();
            }
        }

        await DeleteObjectAsync(type, info, options, ctx.RequestAborted);
        await Responses.WriteAsync(ctx, 201, Responses.Success(info.Name!, "policy", "Eviction", null));
    }

    private static bool IgnoresBudgets(V1Pod pod) =>
        pod.Status?.Phase is "Succeeded" or "Failed" or "Pending" || pod.Metadata.DeletionTimestamp is not null;

    private ResourceType PodDisruptionBudgets => registry.Find("policy", "v1", "poddisruptionbudgets")!;

    private List<V1PodDisruptionBudget> BudgetsOf(V1Pod pod)
    {
        return [.. store.List(PodDisruptionBudgets.StorageResource, pod.Metadata.NamespaceProperty).Items
            .Select(s => (V1PodDisruptionBudget)s.Object)
            .Where(b => LabelSelector.FromApi(b.Spec?.Selector).Matches(pod.Metadata.Labels))];
    }

    /// <summary>Takes one disruption from <paramref name="budget"/> for <paramref name="pod"/>; false when none is needed (a pod that is not ready).</summary>
    private async Task<bool> TakeDisruptionAsync(V1PodDisruptionBudget budget, V1Pod pod, WriteOptions opts, CancellationToken ct)
    {
        var type = PodDisruptionBudgets;
        if (!IsReady(pod))
        {
            var status = budget.Status ?? new V1PodDisruptionBudgetStatus();
            if (budget.Spec?.UnhealthyPodEvictionPolicy == PodDisruptionBudgetStrategy.AlwaysAllow ||
                (status.CurrentHealthy >= status.DesiredHealthy && status.DesiredHealthy > 0))
            {
                return false;
            }
        }

        var info = new RequestInfo("policy", "v1", budget.Metadata.NamespaceProperty, "poddisruptionbudgets", budget.Metadata.Name, "status");
        await UpdateObjectAsync(type, info, stored =>
        {
            var pdb = (V1PodDisruptionBudget)Codec.Copy(stored);
            var status = pdb.Status ??= new V1PodDisruptionBudgetStatus();
            var name = pdb.Metadata.Name;
            if ((status.ObservedGeneration ?? 0) < (pdb.Metadata.Generation ?? 0))
            {
                throw TooManyRequests($"The disruption budget {name} is still being processed by the server.");
            }

            if (status.DisruptionsAllowed < 0)
            {
                throw ApiError.Forbidden(type, name, "pdb disruptions allowed is negative");
            }

            if (status.DisruptedPods?.Count > MaxDisruptedPods)
            {
                throw ApiError.Forbidden(type, name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
            }

            if (status.DisruptionsAllowed == 0)
            {
                throw TooManyRequests($"The disruption budget {name} needs {status.DesiredHealthy} healthy pods and has {status.CurrentHealthy} currently");
            }

            status.DisruptionsAllowed--;
            status.DisruptedPods ??= new Dictionary<string, DateTime?>();
            status.DisruptedPods[pod.Metadata.Name] = Now();
            return pdb;
        }, "status", opts, preconditioned: false, ct);
        return true;
    }

    /// <summary>The pod's DisruptionTarget condition (reason EvictionByEvictionAPI), written only if the delete's preconditions hold.</summary>
    private Task<StoredObject> MarkDisruptionTargetAsync(ResourceType type, RequestInfo info, V1Preconditions? preconditions, WriteOptions opts, CancellationToken ct) =>
        UpdateObjectAsync(type, info with { Subresource = "status" }, stored =>
        {
            var pod = (V1Pod)Codec.Copy(stored);
            CheckPreconditions(type, info.Name!, preconditions, pod.Metadata);

            var status = pod.Status ??= new V1PodStatus();
            var conditions = status.Conditions ??= [];
            var existing = conditions.FirstOrDefault(c => c.Type == "DisruptionTarget");
            if (existing is null)
            {
                existing = new V1PodCondition { Type = "DisruptionTarget" };
                conditions.Add(existing);
            }

            if (existing.Status != "True")
            {
                existing.LastTransitionTime = Now();
            }

            existing.Status = "True";
            existing.Reason = "EvictionByEvictionAPI";
            existing.Message = "Eviction API: evicting";
            return pod;
        }, "status", opts, preconditioned: false, ct);

    private static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static ApiError TooManyRequests(string cause) =>
        new(429, "TooManyRequests", BudgetViolated, new V1StatusDetails { Causes = [new V1StatusCause { Reason = "DisruptionBudget", Message = cause }] });
}
