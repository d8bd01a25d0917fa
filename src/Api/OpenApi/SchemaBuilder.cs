using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;
using KubeWeb.Api.Patching;

namespace KubeWeb.Api.OpenApi;

/// <summary>
/// Builds the OpenAPI schemas of the served kinds from the k8s.Models types: the wire property names
/// (from the serializer, as <see cref="TypeShape"/> reads them), types and formats, upstream
/// descriptions, and the extensions clients act on: <c>x-kubernetes-group-version-kind</c> on
/// each kind (how kubectl explain and client-side apply find a kind's schema), and the patch metadata
/// of <see cref="PatchMetadata"/> (<c>x-kubernetes-patch-strategy</c>, <c>-patch-merge-key</c>,
/// <c>-list-type</c>, <c>-list-map-keys</c>, <c>-map-type</c>), which kubectl's client-side apply uses
/// to compute strategic merge patches. Version 3 documents wrap references that carry a description
/// or extensions in <c>allOf</c>, as upstream does.
/// </summary>
internal sealed class SchemaBuilder(SchemaNaming naming, ModelDocs docs, bool v3)
{
    private const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    private const string IntOrStringName = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private const string Time = SchemaNaming.Meta + ".v1.Time";
    private const string MicroTime = SchemaNaming.Meta + ".v1.MicroTime";

    private readonly string _refPrefix = v3 ? "#/components/schemas/" : "#/definitions/";

    /// <summary>Definitions by name, sorted.</summary>
    public SortedDictionary<string, JsonObject> Schemas { get; } = new(StringComparer.Ordinal);

    /// <summary>Defines the kind's schema (and its list's) with their group-version-kind.</summary>
    public void AddKind(Type clrType, string group, string version, string kind)
    {
        Tag(Define(clrType), group, version, kind);
        if (clrType.Assembly.GetType(clrType.FullName + "List") is { } list)
        {
            Tag(Define(list), group, version, kind + "List");
        }
    }

    public JsonObject ToJson()
    {
        var result = new JsonObject();
        foreach (var (name, schema) in Schemas)
        {
            result[name] = schema;
        }

        return result;
    }

    private void Tag(string name, string group, string version, string kind)
    {
        var schema = Schemas[name];
        if (schema["x-kubernetes-group-version-kind"] is not JsonArray gvks)
        {
            schema["x-kubernetes-group-version-kind"] = gvks = [];
        }

        gvks.Add(new JsonObject { ["group"] = group, ["kind"] = kind, ["version"] = version });
    }

    private string Define(Type type)
    {
        var name = naming.NameOf(type);
        if (Schemas.ContainsKey(name))
        {
            return name;
        }

        var schema = new JsonObject();
        Schemas[name] = schema;
        Describe(schema, docs.Type(type));

        var shape = TypeShape.Of(type);
        var clrProperties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Json: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.Json is not null)
            .GroupBy(p => p.Json!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Property, StringComparer.Ordinal);

        var properties = new JsonObject();
        foreach (var json in shape.PropertyNames.Order(StringComparer.Ordinal))
        {
            var clr = clrProperties.GetValueOrDefault(json);
            properties[json] = Property(type, json, shape.PropertyType(json)!, clr is null ? null : docs.Property(type, clr.Name));
        }

        schema["properties"] = properties;
        schema["type"] = "object";
        if (PatchMetadata.IsAtomicStruct(type))
        {
            schema["x-kubernetes-map-type"] = "atomic";
        }

        return name;
    }

    private JsonObject Property(Type declaringType, string jsonName, Type propertyType, string? description)
    {
        var schema = Schema(propertyType, jsonName);
        var info = PatchMetadata.GetField(declaringType, jsonName);
        var extensions = new List<KeyValuePair<string, JsonNode?>>();
        if (info is not null)
        {
            if (info.Strategy != PatchStrategy.None)
            {
                extensions.Add(new("x-kubernetes-patch-strategy", StrategyText(info.Strategy)));
            }

            if (info.MergeKey is not null)
            {
                extensions.Add(new("x-kubernetes-patch-merge-key", info.MergeKey));
            }

            if (info.Shape.Kind == ShapeKind.List)
            {
                if (info.ListType == ListType.Map)
                {
                    extensions.Add(new("x-kubernetes-list-map-keys", new JsonArray([.. info.ListMapKeys.Select(k => JsonValue.Create(k))])));
                }

                extensions.Add(new("x-kubernetes-list-type", info.ListType switch
                {
                    ListType.Map => "map",
                    ListType.Set => "set",
                    _ => "atomic",
                }));
            }

            if (info.IsAtomicMap)
            {
                extensions.Add(new("x-kubernetes-map-type", "atomic"));
            }
        }

        if (schema.ContainsKey("$ref") && v3 && (description is not null || extensions.Count > 0))
        {
            schema = new JsonObject { ["allOf"] = new JsonArray(schema) };
        }

        Describe(schema, description);
        foreach (var (key, value) in extensions)
        {
            schema[key] = value;
        }

        return schema;
    }

    private JsonObject Schema(Type type, string? propertyName = null)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return Typed("string");
        }

        if (type == typeof(bool))
        {
            return Typed("boolean");
        }

        if (type == typeof(int) || type == typeof(short) || type == typeof(byte))
        {
            return Typed("integer", "int32");
        }

        if (type == typeof(long))
        {
            return Typed("integer", "int64");
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return Typed("number", "double");
        }

        if (type == typeof(byte[]))
        {
            return Typed("string", "byte");
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return propertyName is "eventTime" or "renewTime" or "acquireTime"
                ? Scalar(MicroTime, "MicroTime is version of Time with microsecond level precision.", "string", "date-time")
                : Scalar(Time, "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.", "string", "date-time");
        }

        if (type == typeof(ResourceQuantity))
        {
            return Scalar(Quantity, docs.Type(type) ?? "Quantity is a fixed-point representation of a number.", "string", null);
        }

        if (type == typeof(IntOrString))
        {
            return Scalar(IntOrStringName, "IntOrString is a type that can hold an int32 or a string.", "string", "int-or-string");
        }

        var shape = TypeShape.Of(type);
        return shape.Kind switch
        {
            ShapeKind.List => new JsonObject { ["items"] = Schema(shape.ElementType!), ["type"] = "array" },
            ShapeKind.Map => new JsonObject { ["additionalProperties"] = Schema(shape.ElementType!), ["type"] = "object" },
            ShapeKind.Struct => Ref(Define(type)),
            ShapeKind.Unknown => Typed("object"),
            _ => Typed("string"),
        };
    }

    private JsonObject Scalar(string name, string description, string type, string? format)
    {
        if (!Schemas.ContainsKey(name))
        {
            var schema = new JsonObject { ["description"] = description };
            if (format is not null)
            {
                schema["format"] = format;
            }

            schema["type"] = type;
            Schemas[name] = schema;
        }

        return Ref(name);
    }

    private JsonObject Ref(string name) => new() { ["$ref"] = _refPrefix + name };

    private static JsonObject Typed(string type, string? format = null)
    {
        var schema = new JsonObject();
        if (format is not null)
        {
            schema["format"] = format;
        }

        schema["type"] = type;
        return schema;
    }

    private static void Describe(JsonObject schema, string? description)
    {
        if (!string.IsNullOrEmpty(description))
        {
            schema.Insert(0, "description", description);
        }
    }

    private static string StrategyText(PatchStrategy strategy) =>
        string.Join(',', new[] { (PatchStrategy.Merge, "merge"), (PatchStrategy.RetainKeys, "retainKeys"), (PatchStrategy.Replace, "replace") }
            .Where(s => strategy.HasFlag(s.Item1)).Select(s => s.Item2));
}
