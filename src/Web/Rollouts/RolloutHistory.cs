using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Web.Rollouts;

/// <summary>One revision of a Deployment: the ReplicaSet that holds it and its pod template (without the hash label).</summary>
public sealed record Revision(long Number, string ReplicaSet, string? ChangeCause, JsonObject Template, DateTimeOffset? Created,
    int Replicas, int Ready, bool Current);

/// <summary>
/// A Deployment's rollout history as <c>kubectl rollout history</c> reads it: the ReplicaSets it
/// controls (controller owner reference), numbered by their <c>deployment.kubernetes.io/revision</c>.
/// </summary>
public static class RolloutHistory
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";
    public const string HashLabel = "pod-template-hash";

    public static IReadOnlyList<Revision> For(V1Deployment deployment, IEnumerable<V1ReplicaSet> replicaSets)
    {
        var uid = deployment.Metadata?.Uid;
        var current = deployment.Spec?.Template is { } t ? TemplateJson(t) : null;
        return [.. replicaSets
            .Where(rs => uid is not null && rs.Metadata?.OwnerReferences?.Any(o => o.Controller == true && o.Uid == uid) == true)
            .Select(rs => (rs, number: Number(rs)))
            .Where(x => x.number > 0)
            .OrderBy(x => x.number)
            .Select(x =>
            {
                var template = x.rs.Spec?.Template is { } rt ? TemplateJson(rt) : [];
                return new Revision(x.number, x.rs.Metadata.Name, ChangeCause(x.rs), template, x.rs.Metadata.CreationTimestamp,
                    x.rs.Status?.Replicas ?? 0, x.rs.Status?.ReadyReplicas ?? 0, current is not null && JsonNode.DeepEquals(template, current));
            })];
    }

    /// <summary>The revision annotation as a number; 0 when absent or malformed (kubectl skips those).</summary>
    public static long Number(V1ReplicaSet rs) =>
        rs.Metadata?.Annotations?.TryGetValue(RevisionAnnotation, out var v) == true
        && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>The deployment's current revision number (its own revision annotation).</summary>
    public static long CurrentNumber(V1Deployment d) =>
        d.Metadata?.Annotations?.TryGetValue(RevisionAnnotation, out var v) == true
        && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>A pod template as JSON with the ReplicaSet's <c>pod-template-hash</c> label removed, so templates compare as kubectl compares them.</summary>
    public static JsonObject TemplateJson(V1PodTemplateSpec template)
    {
        var json = KubeJson.ToNode(template, typeof(V1PodTemplateSpec))!.AsObject();
        if (json["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(HashLabel);
        }

        return json;
    }

    private static string? ChangeCause(V1ReplicaSet rs) =>
        rs.Metadata?.Annotations?.TryGetValue(ChangeCauseAnnotation, out var c) == true ? c : null;
}
