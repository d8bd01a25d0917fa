using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.OpenApi;

/// <summary>
/// OpenAPI documents: one v3 document per group-version and the v2 document, with every operation
/// (its <c>x-kubernetes-group-version-kind</c> and the <c>fieldValidation</c> parameter, which is
/// what kubectl's <c>--validate=strict</c> looks for before it hands validation to the server) and the
/// schemas of the served kinds with their upstream descriptions and patch metadata (kubectl explain,
/// client-side apply). Documents are built on first use and kept; each v3 URL carries the hash of its
/// document, so clients that cache by URL see a change.
/// </summary>
public sealed class OpenApiDocuments(ResourceRegistry registry, string gitVersion)
{
    private readonly Lazy<Built> _built = new(() => Build(registry, gitVersion));

    public byte[] V2 => _built.Value.V2;

    public byte[] Index()
    {
        var paths = new JsonObject();
        foreach (var (key, hash) in _built.Value.Hashes)
        {
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["paths"] = paths });
    }

    public byte[]? GroupVersion(string key) => _built.Value.V3.GetValueOrDefault(key);

    private static Built Build(ResourceRegistry registry, string gitVersion)
    {
        var docs = ModelDocs.Load();
        var naming = new SchemaNaming(registry.All);
        var v3 = new Dictionary<string, byte[]>();
        var hashes = new Dictionary<string, string>();
        foreach (var (group, version) in registry.GroupVersions)
        {
            var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            var types = registry.All.Where(t => t.Group == group && t.Version == version).ToList();
            var schemas = new SchemaBuilder(naming, docs, v3: true);
            foreach (var t in types)
            {
                schemas.AddKind(t.ClrType, t.Group, t.Version, t.Kind);
            }

            var doc = new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = gitVersion },
                ["paths"] = Paths(types, v3: true),
                ["components"] = new JsonObject { ["schemas"] = schemas.ToJson() },
            };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(doc);
            v3[key] = bytes;
            hashes[key] = Convert.ToHexString(SHA512.HashData(bytes));
        }

        var definitions = new SchemaBuilder(naming, docs, v3: false);
        foreach (var t in registry.All)
        {
            definitions.AddKind(t.ClrType, t.Group, t.Version, t.Kind);
        }

        var v2 = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = gitVersion },
            ["paths"] = Paths(registry.All, v3: false),
            ["definitions"] = definitions.ToJson(),
        });
        return new Built(v3, hashes, v2);
    }

    private sealed record Built(Dictionary<string, byte[]> V3, Dictionary<string, string> Hashes, byte[] V2);

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
