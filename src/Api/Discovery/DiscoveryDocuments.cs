using System.Text.Json.Nodes;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Discovery;

/// <summary>
/// Builds the discovery documents from the registry: legacy (<c>/api</c>, <c>/apis</c>, per
/// group-version resource lists) and aggregated (<c>apidiscovery.k8s.io</c> v2 / v2beta1).
/// Besides the registry's stored resources it lists the ones served from memory
/// (<c>metrics.k8s.io</c>, as an aggregated API would add them).
/// </summary>
public sealed class DiscoveryDocuments
{
    private readonly IReadOnlyList<ResourceType> _all;
    private readonly IReadOnlyList<(string Group, string Version)> _groupVersions;

    public DiscoveryDocuments(ResourceRegistry registry)
    {
        _all = [.. registry.All, .. Metrics.MetricsResources.All];
        _groupVersions = [.. _all.Select(t => (t.Group, t.Version)).Distinct()];
        Groups = [.. _groupVersions.Select(gv => gv.Group).Where(g => g.Length > 0).Distinct()];
    }

    public IReadOnlyList<string> Groups { get; }

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. Groups.Select(g => (JsonNode)GroupEntry(g))]),
    };

    public JsonObject? Group(string group)
    {
        if (!Groups.Contains(group))
        {
            return null;
        }

        var g = GroupEntry(group);
        g["kind"] = "APIGroup";
        g["apiVersion"] = "v1";
        return g;
    }

    private JsonObject GroupEntry(string group)
    {
        var versions = Versions(group);
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v })]),
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    /// <summary>Versions of a group, preferred first.</summary>
    private List<string> Versions(string group) =>
        [.. _groupVersions.Where(gv => gv.Group == group).Select(gv => gv.Version)];

    public JsonObject? ResourceList(string group, string version)
    {
        var types = _all.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var t in types)
        {
            var r = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = Strings(t.Verbs),
            };
            if (t.ShortNames.Count > 0)
            {
                r["shortNames"] = Strings(t.ShortNames);
            }

            if (t.Categories.Count > 0)
            {
                r["categories"] = Strings(t.Categories);
            }

            r["storageVersionHash"] = Hash(t.StorageResource);
            resources.Add(r);
            foreach (var sub in t.Subresources)
            {
                var (kind, g, v, verbs) = Subresource(t, sub);
                var s = new JsonObject
                {
                    ["name"] = $"{t.Plural}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = kind,
                    ["verbs"] = Strings(verbs),
                };
                if (g is not null)
                {
                    s["group"] = g;
                    s["version"] = v;
                }

                resources.Add(s);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>The aggregated document for <c>/api</c> (core) or <c>/apis</c> (every named group).</summary>
    public JsonObject Aggregated(bool core, string apiVersion)
    {
        var items = new JsonArray();
        foreach (var group in core ? [""] : Groups)
        {
            var versions = new JsonArray();
            foreach (var version in Versions(group))
            {
                var resources = new JsonArray();
                foreach (var t in _all.Where(t => t.Group == group && t.Version == version))
                {
                    var r = new JsonObject
                    {
                        ["resource"] = t.Plural,
                        ["responseKind"] = Gvk(t.Group, t.Version, t.Kind),
                        ["scope"] = t.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = t.Singular,
                        ["verbs"] = Strings(t.Verbs),
                    };
                    if (t.ShortNames.Count > 0)
                    {
                        r["shortNames"] = Strings(t.ShortNames);
                    }

                    if (t.Categories.Count > 0)
                    {
                        r["categories"] = Strings(t.Categories);
                    }

                    if (t.Subresources.Count > 0)
                    {
                        r["subresources"] = new JsonArray([.. t.Subresources.Select(sub =>
                        {
                            var (kind, g, v, verbs) = Subresource(t, sub);
                            return (JsonNode)new JsonObject
                            {
                                ["subresource"] = sub,
                                ["responseKind"] = Gvk(g ?? t.Group, v ?? t.Version, kind),
                                ["verbs"] = Strings(verbs),
                            };
                        })]);
                    }

                    resources.Add(r);
                }

                versions.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            items.Add(new JsonObject { ["metadata"] = new JsonObject { ["name"] = group }, ["versions"] = versions });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = apiVersion,
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static (string Kind, string? Group, string? Version, string[] Verbs) Subresource(ResourceType t, string sub) => sub switch
    {
        "scale" => ("Scale", "autoscaling", "v1", ["get", "patch", "update"]),
        "binding" => ("Binding", null, null, ["create"]),
        "eviction" => ("Eviction", "policy", "v1", ["create"]),
        "token" => ("TokenRequest", "authentication.k8s.io", "v1", ["create"]),
        "finalize" => (t.Kind, null, null, ["update"]),
        "log" => ("Pod", null, null, ["get"]),
        "exec" => ("PodExecOptions", null, null, ["create", "get"]),
        "attach" => ("PodAttachOptions", null, null, ["create", "get"]),
        "portforward" => ("PodPortForwardOptions", null, null, ["create", "get"]),
        _ => (t.Kind, null, null, ["get", "patch", "update"]),
    };

    private static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);

    private static string Hash(string value) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..11];
}
