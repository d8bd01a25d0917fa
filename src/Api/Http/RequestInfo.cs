namespace KubeWeb.Api.Http;

/// <summary>
/// A resource request path taken apart, as kube-apiserver's RequestInfoFactory does:
/// <c>/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}</c> and <c>/apis/{group}/{version}/...</c>.
/// </summary>
public sealed record RequestInfo(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    /// <summary>Parses the segments after the group/version prefix; null when they do not name a resource.</summary>
    public static RequestInfo? Parse(string group, string version, string? rest)
    {
        var parts = (rest ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (parts.Length == 0)
        {
            return null;
        }

        string? ns = null;
        var i = 0;
        if (parts[0] == "namespaces")
        {
            if (parts.Length <= 2)
            {
                // /namespaces or /namespaces/{name}: the Namespace resource itself.
                return new(group, version, null, "namespaces", parts.Length == 2 ? parts[1] : null, null);
            }

            if (parts.Length == 3 && group.Length == 0 && parts[2] is "status" or "finalize")
            {
                return new(group, version, null, "namespaces", parts[1], parts[2]);
            }

            ns = parts[1];
            i = 2;
        }

        var resource = parts[i];
        var name = parts.Length > i + 1 ? parts[i + 1] : null;
        var sub = parts.Length > i + 2 ? string.Join('/', parts[(i + 2)..]) : null;
        return new(group, version, ns, resource, name, sub);
    }
}
