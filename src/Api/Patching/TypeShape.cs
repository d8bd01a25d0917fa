using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Patching;

/// <summary>How a CLR type appears in JSON, as the patch engines see it.</summary>
public enum ShapeKind
{
    /// <summary>No schema (object, JsonElement, JsonNode): merged as plain JSON, lists are atomic.</summary>
    Unknown,

    /// <summary>A string, number, boolean, or a type with a scalar converter (Quantity, IntOrString, time).</summary>
    Scalar,

    /// <summary>An object with declared properties (a k8s.Models class).</summary>
    Struct,

    /// <summary>A dictionary with string keys (labels, data, resource lists).</summary>
    Map,

    /// <summary>A JSON array.</summary>
    List,
}

/// <summary>
/// The JSON shape of one CLR type, read from the serializer's type info with
/// <see cref="KubeJson.Options"/> so that property names are exactly the wire names. Shapes are
/// cached and immutable; children resolve lazily so recursive types (JSONSchemaProps) are fine.
/// </summary>
public sealed class TypeShape
{
    private static readonly ConcurrentDictionary<Type, TypeShape> Cache = new();

    private readonly Dictionary<string, Type> properties;

    private TypeShape(Type? clrType, ShapeKind kind, Type? elementType, Dictionary<string, Type> properties, bool isAtomic)
    {
        ClrType = clrType;
        Kind = kind;
        ElementType = elementType;
        this.properties = properties;
        IsAtomic = isAtomic;
    }

    /// <summary>The shape used where no CLR type is known.</summary>
    public static TypeShape Unknown { get; } = new(null, ShapeKind.Unknown, null, [], false);

    /// <summary>The CLR type, or null for <see cref="Unknown"/>.</summary>
    public Type? ClrType { get; }

    public ShapeKind Kind { get; }

    /// <summary>Element type of a list, value type of a map; null otherwise.</summary>
    public Type? ElementType { get; }

    /// <summary>True for structs Kubernetes marks <c>+structType=atomic</c> (replaced and owned as a whole).</summary>
    public bool IsAtomic { get; }

    /// <summary>The JSON property names of a struct, in declaration order.</summary>
    public IEnumerable<string> PropertyNames => properties.Keys;

    /// <summary>The shape of <paramref name="clrType"/>; cached.</summary>
    public static TypeShape Of(Type? clrType) => clrType is null ? Unknown : Cache.GetOrAdd(clrType, Build);

    /// <summary>The CLR type of a struct property, or null when the struct does not declare it.</summary>
    public Type? PropertyType(string jsonName) => properties.GetValueOrDefault(jsonName);

    /// <summary>The shape of a list's elements or a map's values (Unknown for other kinds).</summary>
    public TypeShape Element => Of(ElementType);

    private static TypeShape Build(Type type)
    {
        if (type == typeof(object) || type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type))
        {
            return Unknown;
        }

        var info = KubeJson.Options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Object => new TypeShape(type, ShapeKind.Struct, null,
                info.Properties.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().PropertyType, StringComparer.Ordinal),
                PatchMetadata.IsAtomicStruct(type)),
            JsonTypeInfoKind.Enumerable => new TypeShape(type, ShapeKind.List, info.ElementType, [], false),
            JsonTypeInfoKind.Dictionary => new TypeShape(type, ShapeKind.Map, info.ElementType, [], false),
            _ => new TypeShape(type, ShapeKind.Scalar, null, [], false),
        };
    }
}
