using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>
/// A set of field paths as server-side apply tracks them (structured-merge-diff's fieldpath.Set).
/// Path elements are kept in their fieldsV1 spelling: <c>f:name</c> (field), <c>k:{"name":"c"}</c>
/// (list element by key), <c>v:"x"</c> (set element), <c>i:0</c> (index). A node is a member when the
/// path to it is in the set; the root is never a member. Instances are mutable only while being built.
/// </summary>
internal sealed class FieldSet
{
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Shared by every node without children (most are leaves); never written to.</summary>
    private static readonly SortedDictionary<string, FieldSet> NoChildren = new(ElementComparer.Instance);

    private SortedDictionary<string, FieldSet>? _children;

    private SortedDictionary<string, FieldSet> children => _children ?? NoChildren;

    private SortedDictionary<string, FieldSet> WritableChildren => _children ??= new(ElementComparer.Instance);

    public bool IsMember { get; private set; }

    public IEnumerable<KeyValuePair<string, FieldSet>> Children => children;

    /// <summary>True when no path is a member.</summary>
    public bool IsEmpty
    {
        get
        {
            if (IsMember)
            {
                return false;
            }

            foreach (var child in children.Values)
            {
                if (!child.IsEmpty)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public FieldSet? Child(string element) => children.GetValueOrDefault(element);

    public void Insert(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node.children.TryGetValue(element, out var next))
            {
                next = new FieldSet();
                node.WritableChildren[element] = next;
            }

            node = next;
        }

        if (path.Count > 0)
        {
            node.IsMember = true;
        }
    }

    public bool Has(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node.children.TryGetValue(element, out node))
            {
                return false;
            }
        }

        return path.Count > 0 && node.IsMember;
    }

    /// <summary>Every member path, depth first in element order.</summary>
    public IEnumerable<IReadOnlyList<string>> Members() => Members([]);

    // Built sets are never changed again, so results share unchanged subtrees with their operands.
    public FieldSet Union(FieldSet other) => Combine(this, other, SetOperation.Union);

    public FieldSet Intersection(FieldSet other) => Combine(this, other, SetOperation.Intersection);

    public FieldSet Difference(FieldSet other) => Combine(this, other, SetOperation.Difference);

    /// <summary>Members of this set that are neither members of <paramref name="other"/> nor below one.</summary>
    public FieldSet RecursiveDifference(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember };
        foreach (var (element, child) in children)
        {
            var otherChild = other.Child(element);
            var kept = otherChild is null ? child.Clone() : otherChild.IsMember ? null : child.RecursiveDifference(otherChild);
            if (kept is not null && !kept.IsEmpty)
            {
                result.WritableChildren[element] = kept;
            }
        }

        return result;
    }

    public FieldSet Clone() => Union(new FieldSet());

    /// <summary>The fieldsV1 JSON form: members are <c>{}</c>, or carry <c>".": {}</c> when they have children.</summary>
    public JsonObject ToFieldsV1()
    {
        var result = new JsonObject();
        if (IsMember && children.Count > 0)
        {
            result["."] = new JsonObject();
        }

        foreach (var (element, child) in children)
        {
            if (!child.IsEmpty)
            {
                result[element] = child.ToFieldsV1();
            }
        }

        return result;
    }

    /// <summary><see cref="ToFieldsV1"/> written straight to JSON text.</summary>
    public void WriteFieldsV1(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        if (IsMember && children.Count > 0)
        {
            w.WriteStartObject(".");
            w.WriteEndObject();
        }

        foreach (var (element, child) in children)
        {
            if (!child.IsEmpty)
            {
                w.WritePropertyName(element);
                child.WriteFieldsV1(w);
            }
        }

        w.WriteEndObject();
    }

    /// <summary><see cref="FromFieldsV1(JsonObject)"/> from a parsed document, without building nodes.</summary>
    public static FieldSet FromFieldsV1(JsonElement fields)
    {
        var set = new FieldSet();
        foreach (var p in fields.EnumerateObject())
        {
            if (p.NameEquals(".") || p.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var child = FromFieldsV1(p.Value);
            var inner = p.Value.EnumerateObject();
            child.IsMember = !inner.MoveNext() || p.Value.TryGetProperty(".", out _);
            set.WritableChildren[p.Name] = child;
        }

        return set;
    }

    public static FieldSet FromFieldsV1(JsonObject fields)
    {
        var set = new FieldSet();
        foreach (var (element, value) in fields)
        {
            if (element == "." || value is not JsonObject inner)
            {
                continue;
            }

            var child = FromFieldsV1(inner);
            child.IsMember = inner.Count == 0 || inner.ContainsKey(".");
            set.WritableChildren[element] = child;
        }

        return set;
    }

    public static string FieldElement(string name) => "f:" + name;

    public static string ValueElement(JsonNode? value) => "v:" + Compact(value);

    public static string KeyElement(IEnumerable<KeyValuePair<string, JsonNode?>> keys)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            obj[name] = value?.DeepClone();
        }

        return "k:" + Compact(obj);
    }

    public static string Compact(JsonNode? value) => value?.ToJsonString(CompactJson) ?? "null";

    /// <summary>A path as Kubernetes prints it in conflicts: <c>.spec.containers[name="c"].image</c>.</summary>
    public static string Describe(IReadOnlyList<string> path)
    {
        var text = new StringBuilder();
        foreach (var element in path)
        {
            var body = element[2..];
            switch (element[0])
            {
                case 'f':
                    text.Append('.').Append(body);
                    break;
                case 'k':
                    var keys = JsonNode.Parse(body)!.AsObject().Select(k => $"{k.Key}={GoValue(k.Value)}");
                    text.Append('[').Append(string.Join(",", keys)).Append(']');
                    break;
                case 'v':
                    text.Append("[=").Append(GoValue(JsonNode.Parse(body))).Append(']');
                    break;
                default:
                    text.Append('[').Append(body).Append(']');
                    break;
            }
        }

        return text.ToString();
    }

    private static string GoValue(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var s) ? JsonSerializer.Serialize(s, CompactJson) : Compact(value);

    private IEnumerable<IReadOnlyList<string>> Members(List<string> prefix)
    {
        foreach (var (element, child) in children)
        {
            var path = new List<string>(prefix) { element };
            if (child.IsMember)
            {
                yield return path;
            }

            foreach (var nested in child.Members(path))
            {
                yield return nested;
            }
        }
    }

    /// <summary>
    /// The children of the combination of two nodes (the caller sets its membership). A subtree
    /// present on one side only is kept as it is (union, or the left side of a difference) or
    /// dropped (intersection, or the right side of a difference), without walking it.
    /// </summary>
    private static FieldSet Combine(FieldSet left, FieldSet right, SetOperation op)
    {
        var result = new FieldSet();
        foreach (var (element, a) in left.children)
        {
            if (right.children.TryGetValue(element, out var b))
            {
                var child = Combine(a, b, op);
                child.IsMember = op switch
                {
                    SetOperation.Union => a.IsMember || b.IsMember,
                    SetOperation.Intersection => a.IsMember && b.IsMember,
                    _ => a.IsMember && !b.IsMember,
                };
                if (!child.IsEmpty)
                {
                    result.WritableChildren[element] = child;
                }
            }
            else if (op != SetOperation.Intersection && !a.IsEmpty)
            {
                result.WritableChildren[element] = a;
            }
        }

        if (op == SetOperation.Union)
        {
            foreach (var (element, b) in right.children)
            {
                if (!left.children.ContainsKey(element) && !b.IsEmpty)
                {
                    result.WritableChildren[element] = b;
                }
            }
        }

        return result;
    }

    private enum SetOperation
    {
        Union,
        Intersection,
        Difference,
    }

    /// <summary>Fields first, then keyed elements, set values and indices; ordinal within a kind.</summary>
    private sealed class ElementComparer : IComparer<string>
    {
        public static readonly ElementComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var byKind = Rank(x).CompareTo(Rank(y));
            return byKind != 0 ? byKind : string.CompareOrdinal(x, y);
        }

        private static int Rank(string? element) => element?[0] switch
        {
            'f' => 0,
            'k' => 1,
            'v' => 2,
            _ => 3,
        };
    }
}
