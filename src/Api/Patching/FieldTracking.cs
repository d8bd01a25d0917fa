using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>The fields changed between two versions of an object (structured-merge-diff's Comparison).</summary>
internal sealed record FieldComparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    public FieldComparison Without(FieldSet ignored) =>
        new(Added.RecursiveDifference(ignored), Modified.RecursiveDifference(ignored), Removed.RecursiveDifference(ignored));
}

/// <summary>Field sets of values and of changes, following structured-merge-diff's rules.</summary>
internal static class FieldTracking
{
    /// <summary>Every leaf and every map entry or list item set in <paramref name="value"/>: what an
    /// applier owns when it applies this configuration.</summary>
    public static FieldSet ToSet(JsonNode? value, SchemaSlot slot)
    {
        var set = new FieldSet();
        Collect(value, slot, [], set);
        return set;
    }

    public static FieldComparison Compare(JsonNode? before, JsonNode? after, SchemaSlot slot)
    {
        var comparison = new FieldComparison(new FieldSet(), new FieldSet(), new FieldSet());
        Walk(before, true, after, true, slot, [], structField: true, comparison);
        return comparison;
    }

    private static void Collect(JsonNode? value, SchemaSlot slot, List<string> path, FieldSet set)
    {
        if (slot.IsLeaf(value))
        {
            if (path.Count > 0 && (value is not null || slot.Shape.Kind == ShapeKind.Scalar))
            {
                set.Insert(path);
            }

            return;
        }

        if (value is JsonObject obj)
        {
            foreach (var (name, child) in obj)
            {
                path.Add(FieldSet.FieldElement(name));
                Collect(child, slot.Child(name), path, set);
                if (!slot.IsDeclared(name))
                {
                    set.Insert(path);
                }

                path.RemoveAt(path.Count - 1);
            }
        }
        else if (value is JsonArray list)
        {
            foreach (var (element, item) in slot.Items(list))
            {
                path.Add(element);
                Collect(item, slot.Element, path, set);
                set.Insert(path);
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    private static void Walk(JsonNode? left, bool hasLeft, JsonNode? right, bool hasRight, SchemaSlot slot, List<string> path,
        bool structField, FieldComparison result)
    {
        var bothEmpty = IsEmptyContainer(left) && IsEmptyContainer(right);
        var mismatched = hasLeft && hasRight && left is not null && right is not null && left.GetType() != right.GetType();
        if (slot.IsLeaf(right ?? left) || bothEmpty || mismatched)
        {
            if (!hasLeft)
            {
                result.Added.Insert(path);
            }
            else if (!hasRight)
            {
                result.Removed.Insert(path);
            }
            else if (!JsonNode.DeepEquals(left, right))
            {
                result.Modified.Insert(path);
            }

            return;
        }

        if ((left ?? right) is JsonObject)
        {
            // The left's fields in order, then the right's that the left lacks (no name lists to build).
            var l = left as JsonObject;
            var r = right as JsonObject;
            if (l is not null)
            {
                foreach (var (name, lv) in l)
                {
                    JsonNode? rv = null;
                    var hr = r is not null && r.TryGetPropertyValue(name, out rv);
                    WalkField(name, lv, true, rv, hr, slot, path, result);
                }
            }

            if (r is not null)
            {
                foreach (var (name, rv) in r)
                {
                    if (l is null || !l.ContainsKey(name))
                    {
                        WalkField(name, null, false, rv, true, slot, path, result);
                    }
                }
            }
        }
        else
        {
            var lItems = slot.Items(left as JsonArray);
            var rItems = slot.Items(right as JsonArray);
            foreach (var element in lItems.Select(i => i.Element).Concat(rItems.Select(i => i.Element)).Distinct(StringComparer.Ordinal).ToList())
            {
                var li = lItems.FindIndex(i => i.Element == element);
                var ri = rItems.FindIndex(i => i.Element == element);
                path.Add(element);
                Walk(li >= 0 ? lItems[li].Item : null, li >= 0, ri >= 0 ? rItems[ri].Item : null, ri >= 0, slot.Element, path,
                    structField: false, result);
                path.RemoveAt(path.Count - 1);
            }
        }

        // Kubernetes records a container appearing or disappearing as a change of its own, except for
        // struct fields, which always exist (as zero values) in the Go objects it compares.
        if (path.Count > 0 && !structField)
        {
            if (!hasLeft)
            {
                result.Added.Insert(path);
            }
            else if (!hasRight)
            {
                result.Removed.Insert(path);
            }
        }
    }

    private static void WalkField(string name, JsonNode? lv, bool hl, JsonNode? rv, bool hr, SchemaSlot slot, List<string> path, FieldComparison result)
    {
        path.Add(FieldSet.FieldElement(name));
        Walk(lv, hl, rv, hr, slot.Child(name), path, slot.IsStructValued(name), result);
        path.RemoveAt(path.Count - 1);
    }

    private static bool IsEmptyContainer(JsonNode? node) => node switch
    {
        null => true,
        JsonObject obj => obj.Count == 0,
        JsonArray array => array.Count == 0,
        _ => false,
    };
}
