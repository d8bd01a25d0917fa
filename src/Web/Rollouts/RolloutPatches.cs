using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;

namespace KubeWeb.Web.Rollouts;

/// <summary>What <c>kubectl rollout undo</c> would send, or why it sends nothing.</summary>
public sealed record RollbackPlan(long ToRevision, JsonArray? Patch, string? Skipped, string? Error);

/// <summary>The patches kubectl's rollout commands send, built from the objects as they are now.</summary>
public static class RolloutPatches
{
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    // kubectl's annotationsToSkip: kept from the deployment, never copied from the ReplicaSet.
    private static readonly HashSet<string> AnnotationsToSkip =
    [
        "kubectl.kubernetes.io/last-applied-configuration",
        RolloutHistory.RevisionAnnotation,
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    ];

    /// <summary><c>kubectl rollout restart</c>: stamps the template so every pod is replaced (RFC 3339, as kubectl writes it).</summary>
    public static JsonObject Restart(DateTimeOffset now) => new()
    {
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["annotations"] = new JsonObject { [RestartedAtAnnotation] = now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
                },
            },
        },
    };

    /// <summary><c>kubectl rollout pause</c> / <c>resume</c>.</summary>
    public static JsonObject Paused(bool paused) => new() { ["spec"] = new JsonObject { ["paused"] = paused } };

    /// <summary>
    /// <c>kubectl rollout undo [--to-revision]</c>: <paramref name="toRevision"/> 0 means the previous
    /// revision. The patch replaces <c>/spec/template</c> with the revision's template (hash label
    /// removed) and <c>/metadata/annotations</c> with the deployment's skipped annotations plus the
    /// ReplicaSet's others, exactly as kubectl's DeploymentRollbacker builds it.
    /// </summary>
    public static RollbackPlan Rollback(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> owned, long toRevision)
    {
        if (deployment.Spec?.Paused == true)
        {
            return new RollbackPlan(toRevision, null, null,
                "You cannot roll back a paused deployment; resume it first and try again.");
        }

        var history = owned.Select(rs => (rs, n: RolloutHistory.Number(rs))).Where(x => x.n > 0).ToList();
        V1ReplicaSet? target;
        if (toRevision == 0)
        {
            var numbers = history.Select(x => x.n).Distinct().OrderDescending().ToList();
            if (numbers.Count < 2)
            {
                return new RollbackPlan(0, null, null, "No rollout history found: there is no previous revision to roll back to.");
            }

            toRevision = numbers[1];
        }

        target = history.FirstOrDefault(x => x.n == toRevision).rs;
        if (target?.Spec?.Template is null)
        {
            return new RollbackPlan(toRevision, null, null, $"Unable to find revision {toRevision} in the history.");
        }

        var template = RolloutHistory.TemplateJson(target.Spec.Template);
        if (deployment.Spec?.Template is { } current && JsonNode.DeepEquals(template, RolloutHistory.TemplateJson(current)))
        {
            return new RollbackPlan(toRevision, null, $"Skipped: the current template already matches revision {toRevision}.", null);
        }

        var annotations = new JsonObject();
        foreach (var (k, v) in deployment.Metadata?.Annotations ?? new Dictionary<string, string>())
        {
            if (AnnotationsToSkip.Contains(k))
            {
                annotations[k] = v;
            }
        }

        foreach (var (k, v) in target.Metadata?.Annotations ?? new Dictionary<string, string>())
        {
            if (!AnnotationsToSkip.Contains(k))
            {
                annotations[k] = v;
            }
        }

        var patch = new JsonArray
        {
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = template },
            new JsonObject { ["op"] = "replace", ["path"] = "/metadata/annotations", ["value"] = annotations },
        };
        return new RollbackPlan(toRevision, patch, null, null);
    }
}
