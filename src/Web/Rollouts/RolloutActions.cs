using k8s.Models;
using KubeWeb.Web.Api;

namespace KubeWeb.Web.Rollouts;

/// <summary>
/// kubectl's rollout commands against the API as the signed-in user. Each returns the sentence
/// kubectl would print; refusals kubectl makes itself (paused, no history) come back as
/// <see cref="RolloutRefusedException"/> so the page shows them like API errors.
/// </summary>
public sealed class RolloutActions(ConsoleApi api, TimeProvider time)
{
    public async Task<string> RestartAsync(ConsoleKind kind, string ns, string name, CancellationToken ct)
    {
        if (kind.Plural == "deployments")
        {
            var d = await GetDeploymentAsync(ns, name, ct);
            if (d.Spec?.Paused == true)
            {
                throw new RolloutRefusedException("Cannot restart a paused deployment", "Resume it first, then restart.");
            }
        }

        await api.PatchAsync(kind.Type, ns, name, RolloutPatches.Restart(time.GetUtcNow()), RolloutPatches.StrategicMergePatch, ct);
        return $"{kind.Type.Kind.ToLowerInvariant()}.{kind.Type.Group}/{name} restarted";
    }

    public async Task<string> SetPausedAsync(string ns, string name, bool paused, CancellationToken ct)
    {
        await api.PatchAsync(Type("deployments"), ns, name, RolloutPatches.Paused(paused), RolloutPatches.MergePatch, ct);
        return $"deployment.apps/{name} {(paused ? "paused" : "resumed")}";
    }

    /// <summary><c>kubectl rollout undo</c>; <paramref name="toRevision"/> 0 is the previous revision.</summary>
    public async Task<string> UndoAsync(string ns, string name, long toRevision, CancellationToken ct)
    {
        var d = await GetDeploymentAsync(ns, name, ct);
        var owned = await OwnedReplicaSetsAsync(d, ct);
        var plan = RolloutPatches.Rollback(d, owned, toRevision);
        if (plan.Error is { } error)
        {
            throw new RolloutRefusedException("Cannot roll back", error);
        }

        if (plan.Skipped is { } skipped)
        {
            return skipped;
        }

        await api.PatchAsync(Type("deployments"), ns, name, plan.Patch!, RolloutPatches.JsonPatch, ct);
        return $"deployment.apps/{name} rolled back to revision {plan.ToRevision}";
    }

    public async Task<IReadOnlyList<V1ReplicaSet>> OwnedReplicaSetsAsync(V1Deployment d, CancellationToken ct)
    {
        var page = await api.Resources.ListAsync<V1ReplicaSet>(Type("replicasets"), d.Metadata.NamespaceProperty, null, null, null, 0, null, ct);
        return [.. page.Items.Where(rs => rs.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == d.Metadata.Uid) == true)];
    }

    private async Task<V1Deployment> GetDeploymentAsync(string ns, string name, CancellationToken ct) =>
        await api.Resources.GetAsync<V1Deployment>(Type("deployments"), ns, name, ct)
        ?? throw new RolloutRefusedException("Not found", $"Deployment {name} no longer exists in {ns}.");

    private static Core.Resources.ResourceType Type(string plural) => ConsoleKinds.ByPlural(plural)!.Type;
}

/// <summary>A rollout command kubectl itself would refuse, with what to do instead.</summary>
public sealed class RolloutRefusedException(string title, string detail) : Exception($"{title}: {detail}")
{
    public ApiProblem Problem { get; } = new(title, detail, []);
}
