namespace KubeWeb.Core.Resources;

/// <summary>
/// One served resource at one group/version: what discovery advertises, what the generic handler
/// routes to, and which CLR model from <c>k8s.Models</c> decodes it.
/// </summary>
public sealed record ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    public required string Plural { get; init; }
    public required bool Namespaced { get; init; }
    public required Type ClrType { get; init; }
    public string Singular => Kind.ToLowerInvariant();
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Subresources served besides the main resource: status, scale, binding, eviction.</summary>
    public IReadOnlyList<string> Subresources { get; init; } = [];

    /// <summary>
    /// The group/plural the objects are stored under. Several served versions (autoscaling v1/v2,
    /// core and events.k8s.io Events) share one storage resource.
    /// </summary>
    public string StorageResource => StorageOverride ?? (Group.Length == 0 ? Plural : $"{Group}/{Plural}");

    /// <summary>Set when this version is served from another version's storage.</summary>
    public string? StorageOverride { get; init; }

    public bool HasStatus => Subresources.Contains("status");

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupVersion => ApiVersion;

    /// <summary>"pods", "deployments.apps": the name Kubernetes uses in error messages.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";

    public IReadOnlyList<string> Verbs { get; init; } =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>Create-only review resources (access reviews, whoami): answered, never stored or listed.</summary>
    public bool IsVirtual => !Verbs.Contains("list");

    public override string ToString() => $"{GroupResource}/{Version}";
}
