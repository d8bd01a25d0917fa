using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>
/// One field that an apply would take from another manager. <see cref="Message"/> and
/// <see cref="Field"/> are the <c>message</c> and <c>field</c> of a Status cause with reason
/// <c>FieldManagerConflict</c>, e.g. <c>conflict with "kubectl-client-side-apply" using apps/v1</c>
/// and <c>.spec.replicas</c>.
/// </summary>
public sealed record ApplyConflict(string Manager, string Operation, string ApiVersion, string? Subresource, string Field)
{
    public const string CauseReason = "FieldManagerConflict";

    /// <summary>How Kubernetes names the other manager: its name, the subresource if any and, for
    /// Update entries, the API version it wrote with.</summary>
    public string ManagerDescription => new ManagerIdentity(Manager, Operation, ApiVersion, Subresource).Describe(ApiVersion);

    public string Message => $"conflict with {ManagerDescription}";
}

/// <summary>
/// The outcome of <see cref="FieldManager.Apply"/>: either the object to store (with
/// <c>metadata.managedFields</c> updated) or the conflicts that stop the apply (answer 409 Conflict
/// with <see cref="ConflictMessage"/> and one cause per conflict).
/// </summary>
public sealed class ApplyResult
{
    private ApplyResult(JsonObject? obj, IReadOnlyList<ApplyConflict> conflicts)
    {
        Object = obj;
        Conflicts = conflicts;
        ConflictMessage = conflicts.Count == 0 ? null : BuildMessage(conflicts);
    }

    /// <summary>The merged object; null when there are conflicts.</summary>
    public JsonObject? Object { get; }

    public IReadOnlyList<ApplyConflict> Conflicts { get; }

    public bool HasConflicts => Conflicts.Count > 0;

    /// <summary>The Status message, e.g. <c>Apply failed with 1 conflict: conflict with "m": .spec.replicas</c>.</summary>
    public string? ConflictMessage { get; }

    internal static ApplyResult Succeeded(JsonObject obj) => new(obj, []);

    internal static ApplyResult Failed(IReadOnlyList<ApplyConflict> conflicts) => new(null, conflicts);

    private static string BuildMessage(IReadOnlyList<ApplyConflict> conflicts)
    {
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: {conflicts[0].Message}: {conflicts[0].Field}";
        }

        var lines = new List<string>();
        foreach (var group in conflicts.GroupBy(c => c.ManagerDescription).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            lines.Add($"conflicts with {group.Key}:");
            lines.AddRange(group.Select(c => $"- {c.Field}"));
        }

        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
