using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>
/// A position in a document as server-side apply sees it: the shape of the value there and, for a
/// struct property, the field's list and map markers. Values that do not fit the shape (a string
/// where a struct is declared) are treated as opaque leaves.
/// </summary>
internal readonly record struct SchemaSlot(TypeShape Shape, FieldPatchInfo? Field)
{
    public static SchemaSlot For(Type clrType) => new(TypeShape.Of(clrType), null);

    public ListType ListType => Shape.Kind == ShapeKind.List ? Field?.ListType ?? ListType.Atomic : ListType.Atomic;

    /// <summary>True when the value here is owned and replaced as a whole.</summary>
    public bool IsLeaf(JsonNode? value) => Shape.Kind switch
    {
        ShapeKind.Struct => Shape.IsAtomic || value is not JsonObject,
        ShapeKind.Map => Field?.IsAtomicMap == true || value is not JsonObject,
        ShapeKind.List => ListType == ListType.Atomic || value is not JsonArray,
        ShapeKind.Unknown => value is not JsonObject,
        _ => true,
    };

    /// <summary>True for properties the struct declares; other keys (map entries, unknown members) are
    /// items of their own.</summary>
    public bool IsDeclared(string name) => Shape.Kind == ShapeKind.Struct && Shape.PropertyType(name) is not null;

    /// <summary>True for declared properties holding a struct, which exist as zero values in the Go
    /// objects Kubernetes compares, so their appearance is never a change of its own.</summary>
    public bool IsStructValued(string name) => IsDeclared(name) && TypeShape.Of(Shape.PropertyType(name)).Kind == ShapeKind.Struct;

    public SchemaSlot Child(string name) => Shape.Kind switch
    {
        ShapeKind.Struct => PatchMetadata.GetField(Shape.ClrType!, name) is { } field ? new(field.Shape, field) : new(TypeShape.Unknown, null),
        ShapeKind.Map => new(Shape.Element, null),
        _ => new(TypeShape.Unknown, null),
    };

    public SchemaSlot Element => new(Shape.Element, null);

    /// <summary>The path element naming <paramref name="item"/> in this (set or map) list.</summary>
    public string ItemElement(JsonNode? item, int index)
    {
        if (ListType == ListType.Set)
        {
            return FieldSet.ValueElement(item);
        }

        if (ListType == ListType.Map && item is JsonObject obj && Field is not null)
        {
            var keys = new List<KeyValuePair<string, JsonNode?>>();
            foreach (var key in Field.ListMapKeys)
            {
                var value = obj[key] ?? PatchMetadata.KeyDefault(Shape.ElementType, key);
                if (value is not null)
                {
                    keys.Add(new(key, value));
                }
            }

            if (keys.Count > 0)
            {
                return FieldSet.KeyElement(keys);
            }
        }

        return "i:" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The items of a granular list by path element; later duplicates are ignored.</summary>
    public List<(string Element, JsonNode? Item)> Items(JsonArray? list)
    {
        var items = new List<(string, JsonNode?)>();
        if (list is null)
        {
            return items;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var element = ItemElement(list[i], i);
            if (seen.Add(element))
            {
                items.Add((element, list[i]));
            }
        }

        return items;
    }
}
