using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>The value operations of server-side apply: merging a configuration into the live object
/// and removing owned items. Results never share nodes with the inputs.</summary>
internal static class ApplyMerge
{
    /// <summary>
    /// Merges <paramref name="config"/> into <paramref name="live"/>: the configuration wins on every leaf
    /// it sets, structs and maps merge, set and map lists merge by element (config order for the items it
    /// names, live-only items kept in place), atomic lists and atomic structs are replaced.
    /// </summary>
    public static JsonNode? Merge(JsonNode? live, JsonNode? config, SchemaSlot slot)
    {
        if (config is null)
        {
            return live?.DeepClone();
        }

        if (live is null || slot.IsLeaf(config) || live.GetType() != config.GetType() && !(live is JsonValue && config is JsonValue))
        {
            return config.DeepClone();
        }

        if (live is JsonObject liveObject && config is JsonObject configObject)
        {
            var result = new JsonObject();
            foreach (var (name, value) in liveObject)
            {
                result[name] = configObject.TryGetPropertyValue(name, out var configValue)
                    ? Merge(value, configValue, slot.Child(name))
                    : value?.DeepClone();
            }

            foreach (var (name, value) in configObject)
            {
                if (!liveObject.ContainsKey(name))
                {
                    result[name] = value?.DeepClone();
                }
            }

            return result;
        }

        return live is JsonArray liveList && config is JsonArray configList
            ? MergeList(slot.Items(liveList), slot.Items(configList), slot.Element)
            : config.DeepClone();
    }

    /// <summary>Removes every member of <paramref name="items"/> (with everything below it) from
    /// <paramref name="value"/>, which the caller owns.</summary>
    public static void Remove(JsonNode? value, FieldSet items, SchemaSlot slot)
    {
        if (value is JsonObject obj)
        {
            foreach (var (element, child) in items.Children)
            {
                if (!element.StartsWith("f:", StringComparison.Ordinal))
                {
                    continue;
                }

                var name = element[2..];
                if (!obj.TryGetPropertyValue(name, out var childValue))
                {
                    continue;
                }

                if (child.IsMember)
                {
                    obj.Remove(name);
                }
                else
                {
                    Remove(childValue, child, slot.Child(name));
                }
            }
        }
        else if (value is JsonArray list && !slot.IsLeaf(list))
        {
            var elements = Enumerable.Range(0, list.Count).Select(i => slot.ItemElement(list[i], i)).ToList();
            for (var i = list.Count - 1; i >= 0; i--)
            {
                var child = items.Child(elements[i]);
                if (child is null)
                {
                    continue;
                }

                if (child.IsMember)
                {
                    list.RemoveAt(i);
                }
                else
                {
                    Remove(list[i], child, slot.Element);
                }
            }
        }
    }

    /// <summary>
    /// Walks both lists in step. Shared items come out in the configuration's order; a live-only item
    /// stays where it was relative to the shared items around it; new items follow their predecessor
    /// in the configuration.
    /// </summary>
    private static JsonArray MergeList(List<(string Element, JsonNode? Item)> live, List<(string Element, JsonNode? Item)> config, SchemaSlot element)
    {
        var liveByElement = live.ToDictionary(i => i.Element, i => i.Item, StringComparer.Ordinal);
        var configByElement = config.ToDictionary(i => i.Element, i => i.Item, StringComparer.Ordinal);
        var shared = new Queue<string>(config.Select(c => c.Element).Where(liveByElement.ContainsKey));
        var result = new JsonArray();
        int l = 0, c = 0;
        while (l < live.Count || c < config.Count)
        {
            if (l < live.Count && c < config.Count)
            {
                var liveElement = live[l].Element;
                if (liveElement == config[c].Element)
                {
                    result.Add(Merge(live[l].Item, config[c].Item, element));
                    l++;
                    c++;
                    if (shared.Count > 0 && shared.Peek() == liveElement)
                    {
                        shared.Dequeue();
                    }

                    continue;
                }

                if (configByElement.ContainsKey(liveElement) && shared.Count > 0 && shared.Peek() != liveElement)
                {
                    // Shared, but the configuration places it later: emit it when the configuration gets there.
                    l++;
                    continue;
                }
            }

            if (l < live.Count && !configByElement.ContainsKey(live[l].Element))
            {
                result.Add(live[l].Item?.DeepClone());
                l++;
                continue;
            }

            if (c < config.Count)
            {
                var configElement = config[c].Element;
                result.Add(Merge(liveByElement.GetValueOrDefault(configElement), config[c].Item, element));
                c++;
                if (shared.Count > 0 && shared.Peek() == configElement)
                {
                    shared.Dequeue();
                }
            }
            else
            {
                l++;
            }
        }

        return result;
    }
}
