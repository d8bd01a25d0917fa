using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>The <c>patchStrategy</c> struct tag of a field (values combine: "merge,retainKeys").</summary>
[Flags]
public enum PatchStrategy
{
    /// <summary>No tag: a patch replaces the list (maps and structs still merge).</summary>
    None = 0,
    Merge = 1,
    RetainKeys = 2,
    Replace = 4,
}

/// <summary>The <c>+listType</c> of a list for server-side apply ownership.</summary>
public enum ListType
{
    /// <summary>The list is one value: replaced and owned as a whole.</summary>
    Atomic,

    /// <summary>A list of unique scalars; each value is owned on its own (<c>v:"x"</c>).</summary>
    Set,

    /// <summary>A list of objects identified by key fields (<c>k:{"name":"c"}</c>).</summary>
    Map,
}

/// <summary>Patch and apply metadata of one JSON property of one CLR type.</summary>
public sealed class FieldPatchInfo
{
    internal FieldPatchInfo(Type declaringType, string jsonName, Type propertyType, PatchMetadata.Tag tag)
    {
        DeclaringType = declaringType;
        JsonName = jsonName;
        PropertyType = propertyType;
        Strategy = tag.Strategy;
        MergeKey = tag.MergeKey;
        ListType = tag.ListType;
        ListMapKeys = tag.Keys;
        IsAtomicMap = tag.AtomicMap;
    }

    public Type DeclaringType { get; }

    public string JsonName { get; }

    public Type PropertyType { get; }

    /// <summary>Strategic-merge-patch strategy (the <c>patchStrategy</c> tag).</summary>
    public PatchStrategy Strategy { get; }

    /// <summary>The <c>patchMergeKey</c> tag; null for primitive sets and untagged fields.</summary>
    public string? MergeKey { get; }

    /// <summary>Server-side apply list type; <see cref="ListType.Atomic"/> for non-lists and untagged lists.</summary>
    public ListType ListType { get; }

    /// <summary>The <c>+listMapKey</c> fields when <see cref="ListType"/> is Map.</summary>
    public IReadOnlyList<string> ListMapKeys { get; }

    /// <summary>True for maps tagged <c>+mapType=atomic</c> (e.g. a Service's selector).</summary>
    public bool IsAtomicMap { get; }

    public TypeShape Shape => TypeShape.Of(PropertyType);
}

/// <summary>
/// The <c>patchStrategy</c>/<c>patchMergeKey</c> and <c>+listType</c>/<c>+listMapKey</c>/<c>+structType</c>
/// markers of k8s.io/api, keyed by (declaring k8s.Models type, JSON property name). Fields that are not
/// listed behave as Kubernetes' defaults: lists are atomic and replaced by patches, maps and structs
/// are granular. Status <c>conditions</c> lists of types not listed here are merged by <c>type</c>.
/// </summary>
public static partial class PatchMetadata
{
    private static readonly ConcurrentDictionary<(Type, string), FieldPatchInfo?> Fields = new();

    /// <summary>The metadata of <paramref name="jsonName"/> on <paramref name="declaringType"/>, or null
    /// when that type has no such JSON property.</summary>
    public static FieldPatchInfo? GetField(Type declaringType, string jsonName) =>
        Fields.GetOrAdd((declaringType, jsonName), static key => Resolve(key.Item1, key.Item2));

    /// <summary>The JSON shape of a CLR type (see <see cref="TypeShape"/>).</summary>
    public static TypeShape GetShape(Type clrType) => TypeShape.Of(clrType);

    /// <summary>True for types marked <c>+structType=atomic</c>.</summary>
    public static bool IsAtomicStruct(Type clrType) => AtomicStructs.Contains(clrType);

    /// <summary>The schema default of a list-map key field that clients may omit (a port's protocol),
    /// used to build the element's key as the API server does.</summary>
    internal static JsonNode? KeyDefault(Type? elementType, string keyField) =>
        elementType is not null && KeyDefaults.TryGetValue((elementType, keyField), out var value) ? JsonValue.Create(value) : null;

    private static FieldPatchInfo? Resolve(Type declaringType, string jsonName)
    {
        var shape = TypeShape.Of(declaringType);
        var propertyType = shape.PropertyType(jsonName);
        if (propertyType is null)
        {
            return null;
        }

        if (!Tags.TryGetValue((declaringType, jsonName), out var tag))
        {
            tag = IsConditionList(declaringType, jsonName, propertyType) ? MergeMap("type") : Tag.Default;
        }

        return new FieldPatchInfo(declaringType, jsonName, propertyType, tag);
    }

    private static bool IsConditionList(Type declaringType, string jsonName, Type propertyType)
    {
        if (jsonName != "conditions" || !declaringType.Name.EndsWith("Status", StringComparison.Ordinal))
        {
            return false;
        }

        var list = TypeShape.Of(propertyType);
        return list.Kind == ShapeKind.List && list.Element.Kind == ShapeKind.Struct && list.Element.PropertyType("type") is not null;
    }

    internal sealed record Tag(PatchStrategy Strategy, string? MergeKey, ListType ListType, IReadOnlyList<string> Keys, bool AtomicMap = false)
    {
        public static Tag Default { get; } = new(PatchStrategy.None, null, ListType.Atomic, []);
    }
}
