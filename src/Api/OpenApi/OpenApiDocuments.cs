using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.OpenApi;

/// <summary>
/// OpenAPI documents. Per group-version v3 documents declare every operation with its
/// <c>x-kubernetes-group-version-kind</c> and the <c>fieldValidation</c> parameter, which is what
/// kubectl's <c>--validate=strict</c> looks for before it hands validation to the server. Schemas are
/// left out on purpose: a partial schema without patch metadata would mislead client-side apply,
/// which falls back to its compiled-in types for built-in kinds when none is given.
/// </summary>
public sealed class OpenApiDocuments
{
    private readonly Dictionary<string, byte[]> _v3 = [];
    private readonly Dictionary<string, string> _hashes = [];

    public OpenApiDocuments(ResourceRegistry registry, string gitVersion)
    {
        foreach (var (group, version) in registry.GroupVersions)
        {
            var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            var doc = new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = gitVersion },
                ["paths"] = Paths(registry.All.Where(t => t.Group == group && t.Version == version), v3: true),
                ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
            };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(doc);
            _v3[key] = bytes;
            _hashes[key] = Convert.ToHexString(SHA512.HashData(bytes));
        }

        V2 = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = gitVersion },
            ["paths"] = Paths(registry.All, v3: false),
            ["definitions"] = new JsonObject(),
        });
    }

    public byte[] V2 { get; }

    public byte[] Index()
    {
        var paths = new JsonObject();
        foreach (var (key, hash) in _hashes)
        {
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["paths"] = paths });
    }

    public byte[]? GroupVersion(string key) => _v3.GetValueOrDefault(key);

    private static JsonObject Paths(IEnumerable<ResourceType> types, bool v3)
    {
        var paths = new JsonObject();
        foreach (var t in types)
        {
            var prefix = t.Group.Length == 0 ? $"/api/{t.Version}" : $"/apis/{t.Group}/{t.Version}";
            var collection = t.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{t.Plural}" : $"{prefix}/{t.Plural}";
            var item = collection + "/{name}";
            paths[collection] = new JsonObject
            {
                ["get"] = Operation(t, "list", v3),
                ["post"] = Operation(t, "create", v3),
                ["delete"] = Operation(t, "deletecollection", v3),
            };
            paths[item] = new JsonObject
            {
                ["get"] = Operation(t, "get", v3),
                ["put"] = Operation(t, "update", v3),
                ["patch"] = Operation(t, "patch", v3),
                ["delete"] = Operation(t, "delete", v3),
            };
            foreach (var sub in t.Subresources.Where(s => s is "status" or "scale"))
            {
                paths[$"{item}/{sub}"] = new JsonObject
                {
                    ["get"] = Operation(t, "get", v3, sub),
                    ["put"] = Operation(t, "update", v3, sub),
                    ["patch"] = Operation(t, "patch", v3, sub),
                };
            }
        }

        return paths;
    }

    private static JsonObject Operation(ResourceType t, string verb, bool v3, string? sub = null)
    {
        var (g, v, k) = sub == "scale" ? ("autoscaling", "v1", "Scale") : (t.Group, t.Version, t.Kind);
        var op = new JsonObject
        {
            ["operationId"] = $"{verb}{t.Kind}{sub}",
            ["x-kubernetes-action"] = verb == "create" ? "post" : verb == "update" ? "put" : verb,
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = g, ["version"] = v, ["kind"] = k },
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
        };
        if (verb is "create" or "update" or "patch")
        {
            var parameters = new JsonArray();
            foreach (var name in new[] { "dryRun", "fieldManager", "fieldValidation" })
            {
                var p = new JsonObject { ["name"] = name, ["in"] = "query" };
                if (v3)
                {
                    p["schema"] = new JsonObject { ["type"] = "string" };
                }
                else
                {
                    p["type"] = "string";
                }

                parameters.Add(p);
            }

            if (verb == "patch")
            {
                var force = new JsonObject { ["name"] = "force", ["in"] = "query" };
                if (v3)
                {
                    force["schema"] = new JsonObject { ["type"] = "boolean" };
                }
                else
                {
                    force["type"] = "boolean";
                }

                parameters.Add(force);
            }

            op["parameters"] = parameters;
        }

        return op;
    }
}
