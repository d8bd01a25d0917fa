namespace KubeWeb.Web.Access;

/// <summary>One question for the API's authorizer, as SelfSubjectAccessReview's resourceAttributes ask it.</summary>
public sealed record AccessRequest(string Verb, string Group, string Resource, string? Subresource = null, string? Namespace = null, string? Name = null)
{
    /// <summary>As <c>kubectl auth can-i</c> spells it: <c>delete deployments.apps/scale in namespace "default"</c>.</summary>
    public string Describe()
    {
        var resource = Group.Length == 0 ? Resource : $"{Resource}.{Group}";
        var sub = Subresource is null ? "" : "/" + Subresource;
        var where = Namespace is null ? " (cluster-wide)" : $" in namespace \"{Namespace}\"";
        return $"{Verb} {resource}{sub}{where}";
    }
}

/// <summary>The answer, and a sentence for the tooltip of a disabled action.</summary>
public sealed record AccessAnswer(bool Allowed, bool Known, string Explanation)
{
    public static AccessAnswer Pending { get; } = new(false, false, "Checking your permissions…");

    public static AccessAnswer Allow(AccessRequest r) => new(true, true, $"Allowed: {r.Describe()}");

    public static AccessAnswer Deny(AccessRequest r, string? reason) =>
        new(false, true, $"You need permission to {r.Describe()}{(string.IsNullOrWhiteSpace(reason) ? "" : $" ({reason.TrimEnd('.')})")}.");

    /// <summary>The review itself failed: the action stays available and the API has the last word.</summary>
    public static AccessAnswer Unknown(AccessRequest r, string why) => new(true, false, $"Could not check {r.Describe()}: {why}");
}
