using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>
/// Server-side apply and field ownership (<c>metadata.managedFields</c>), following
/// structured-merge-diff and the API server's field manager. Pure functions: inputs are never
/// modified, time comes from the caller. Objects are JSON of the given k8s.Models type; the caller
/// runs defaulting, status/spec resets and validation on the returned object as for any write.
/// </summary>
public static class FieldManager
{
    /// <summary>Owns every existing field the first time an untracked object is applied to.</summary>
    public const string BeforeFirstApplyManager = "before-first-apply";

    /// <summary>Collects the oldest Update entries once there are more than <see cref="MaxUpdateManagers"/>.</summary>
    public const string AncientChangesManager = "ancient-changes";

    public const int MaxUpdateManagers = 10;

    /// <summary>Fields nobody owns: identity and server-populated metadata.</summary>
    private static readonly FieldSet Unowned = BuildUnowned();

    /// <summary>
    /// Applies <paramref name="applied"/> (an apply configuration) for <paramref name="manager"/>.
    /// <paramref name="live"/> is null when the object does not exist yet. Fields other managers own
    /// whose value would change are conflicts unless <paramref name="force"/>, which moves them to
    /// the applier. Fields the manager applied last time and dropped now are removed unless another
    /// applier still owns them. <paramref name="ignoredFields"/> are dotted paths (<c>status</c> for the
    /// main resource, <c>spec</c> for a status subresource) that are neither owned nor conflict.
    /// </summary>
    /// <exception cref="PatchException">Malformed when the configuration sets metadata.managedFields.</exception>
    public static ApplyResult Apply(JsonObject? live, JsonObject applied, string manager, bool force, Type clrType, string apiVersion,
        DateTime now, string? subresource = null, IReadOnlyCollection<string>? ignoredFields = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(manager);
        if (applied["metadata"] is JsonObject appliedMeta && appliedMeta["managedFields"] is not null)
        {
            throw new PatchException("metadata.managedFields must be nil", PatchErrorKind.Malformed);
        }

        var slot = SchemaSlot.For(clrType);
        var ignored = Paths(ignoredFields);
        var time = ManagedFieldsEntries.FormatTime(now);
        var liveObject = WithoutManagedFields(live);
        var managers = ManagedFieldsEntries.Decode(live?["metadata"]?["managedFields"]);
        if (live is not null && managers.Count == 0)
        {
            // Objects written before anyone tracked ownership: everything present belongs to a placeholder.
            var identity = ManagerIdentity.Update(BeforeFirstApplyManager, apiVersion, null);
            var existing = FieldTracking.Compare(new JsonObject(), liveObject, slot).Without(ignored);
            managers[identity] = new ManagedEntry(identity, apiVersion, time, existing.Added.Union(existing.Modified).Difference(Unowned));
        }

        var config = (JsonObject)WithoutNulls(applied)!;
        var merged = ApplyMerge.Merge(liveObject, config, slot) as JsonObject ?? [];
        var applier = ManagerIdentity.Apply(manager, subresource);
        var last = managers.GetValueOrDefault(applier);
        var owned = FieldTracking.ToSet(config, slot).Difference(Unowned).RecursiveDifference(ignored);
        managers[applier] = new ManagedEntry(applier, apiVersion, last?.Time, owned);

        if (last is not null)
        {
            var stillApplied = managers.Values.Where(e => e.Identity.IsApply).Aggregate(new FieldSet(), (all, e) => all.Union(e.Fields));
            ApplyMerge.Remove(merged, last.Fields.Difference(stillApplied), slot);
        }

        var comparison = FieldTracking.Compare(liveObject, merged, slot).Without(ignored);
        var changed = comparison.Added.Union(comparison.Modified);
        var conflicts = Conflicts(managers, applier, changed);
        if (conflicts.Count > 0 && !force)
        {
            return ApplyResult.Failed(conflicts);
        }

        TakeFromOthers(managers, applier, changed, comparison.Removed);
        if (!JsonNode.DeepEquals(liveObject, merged))
        {
            managers[applier] = managers[applier] with { Time = time };
        }

        SetManagedFields(merged, managers);
        return ApplyResult.Succeeded(merged);
    }

    /// <summary>
    /// Records an ordinary write (create, update, or a non-apply patch) by <paramref name="manager"/>:
    /// the fields that changed between <paramref name="old"/> (null on create) and
    /// <paramref name="updated"/> move to the manager's Update entry. Returns a copy of
    /// <paramref name="updated"/> with metadata.managedFields set. managedFields sent by the client are
    /// kept (and then updated) unless empty; <c>[{}]</c> clears them. Objects that exist but were never
    /// tracked stay untracked until their first apply, as in Kubernetes.
    /// </summary>
    public static JsonObject Update(JsonObject? old, JsonObject updated, string manager, Type clrType, string apiVersion, DateTime now,
        string? subresource = null, IReadOnlyCollection<string>? ignoredFields = null) =>
        UpdateInPlace(old?.DeepClone().AsObject(), updated.DeepClone().AsObject(), manager, clrType, apiVersion, now, subresource, ignoredFields);

    /// <summary>
    /// <see cref="Update"/> without copying its inputs first, for callers that built both nodes for
    /// this call: <paramref name="old"/> loses its managedFields and <paramref name="updated"/> becomes the result.
    /// </summary>
    internal static JsonObject UpdateInPlace(JsonObject? old, JsonObject updated, string manager, Type clrType, string apiVersion, DateTime now,
        string? subresource = null, IReadOnlyCollection<string>? ignoredFields = null)
    {
        var provided = updated["metadata"]?["managedFields"];
        var oldFields = old?["metadata"]?["managedFields"];
        var result = StripManagedFields(updated);
        var resets = provided is JsonArray list && list.Count > 0 && list.All(e => e is JsonObject { Count: 0 });
        var entries = UpdateEntries(StripManagedFields(old), old is not null, result, resets,
            subresource is null ? ManagedFieldsEntries.Decode(provided) : [], () => ManagedFieldsEntries.Decode(oldFields),
            manager, clrType, apiVersion, now, subresource, ignoredFields);
        if (entries.Count > 0)
        {
            if (result["metadata"] is not JsonObject metadata)
            {
                metadata = [];
                result["metadata"] = metadata;
            }

            metadata["managedFields"] = ManagedFieldsEntries.Encode(entries);
        }

        return result;
    }

    /// <summary>
    /// The core of <see cref="Update"/> on decoded entries: <paramref name="old"/> and
    /// <paramref name="updated"/> carry no managedFields; <paramref name="provided"/> are the entries
    /// the write sent (empty for subresources), <paramref name="oldEntries"/> decodes the stored ones
    /// when needed. Returns the entries to store, in the API server's order (none: no managedFields).
    /// </summary>
    internal static List<ManagedEntry> UpdateEntries(JsonObject? old, bool exists, JsonObject updated, bool resets,
        Dictionary<ManagerIdentity, ManagedEntry> provided, Func<Dictionary<ManagerIdentity, ManagedEntry>> oldEntries,
        string manager, Type clrType, string apiVersion, DateTime now, string? subresource, IReadOnlyCollection<string>? ignoredFields)
    {
        ArgumentException.ThrowIfNullOrEmpty(manager);
        if (resets)
        {
            return [];
        }

        var managers = provided.Count > 0 ? provided : oldEntries();
        if (managers.Count == 0 && exists)
        {
            return [];
        }

        var slot = SchemaSlot.For(clrType);
        var comparison = FieldTracking.Compare(old ?? [], updated, slot).Without(Paths(ignoredFields));
        var changed = comparison.Added.Union(comparison.Modified);
        var identity = ManagerIdentity.Update(manager, apiVersion, subresource);
        var previous = managers.GetValueOrDefault(identity);
        TakeFromOthers(managers, identity, changed, comparison.Removed);

        var taken = changed.Difference(Unowned);
        var fields = (previous?.Fields.Difference(comparison.Removed) ?? new FieldSet()).Union(taken);
        var time = taken.IsEmpty ? previous?.Time : ManagedFieldsEntries.FormatTime(now);
        managers[identity] = new ManagedEntry(identity, apiVersion, time, fields);
        CapUpdateManagers(managers);
        return ManagedFieldsEntries.Ordered(managers.Values);
    }

    private static List<ApplyConflict> Conflicts(Dictionary<ManagerIdentity, ManagedEntry> managers, ManagerIdentity applier, FieldSet changed)
    {
        var conflicts = new List<ApplyConflict>();
        var others = managers.Values.Where(e => e.Identity != applier)
            .OrderBy(e => e.Identity.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.Identity.Operation, StringComparer.Ordinal);
        foreach (var entry in others)
        {
            foreach (var path in entry.Fields.Intersection(changed).Members())
            {
                conflicts.Add(new ApplyConflict(entry.Identity.Manager, entry.Identity.Operation, entry.ApiVersion,
                    entry.Identity.Subresource, FieldSet.Describe(path)));
            }
        }

        return conflicts;
    }

    /// <summary>Other managers lose the fields this write changed and every field it removed.</summary>
    private static void TakeFromOthers(Dictionary<ManagerIdentity, ManagedEntry> managers, ManagerIdentity writer, FieldSet changed, FieldSet removed)
    {
        if (changed.IsEmpty && removed.IsEmpty)
        {
            return;
        }

        foreach (var entry in managers.Values.Where(e => e.Identity != writer).ToList())
        {
            managers[entry.Identity] = entry with { Fields = entry.Fields.Difference(changed).Difference(removed) };
        }
    }

    private static void SetManagedFields(JsonObject obj, Dictionary<ManagerIdentity, ManagedEntry> managers)
    {
        CapUpdateManagers(managers);
        var encoded = ManagedFieldsEntries.Encode(managers.Values);
        if (encoded.Count == 0)
        {
            return;
        }

        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }

        metadata["managedFields"] = encoded;
    }

    /// <summary>Folds the oldest Update entries into one <see cref="AncientChangesManager"/> entry.</summary>
    private static void CapUpdateManagers(Dictionary<ManagerIdentity, ManagedEntry> managers)
    {
        if (managers.Count <= MaxUpdateManagers)
        {
            // Fewer entries than the cap: nothing to fold (and no times to read on every write).
            return;
        }

        var updaters = managers.Values.Where(e => !e.Identity.IsApply && !e.Fields.IsEmpty)
            .OrderBy(e => ManagedFieldsEntries.Seconds(e.Time)).ToList();
        if (updaters.Count <= MaxUpdateManagers)
        {
            return;
        }

        var oldest = updaters.Take(updaters.Count - MaxUpdateManagers + 1).ToList();
        var newest = oldest[^1];
        var bucket = ManagerIdentity.Update(AncientChangesManager, newest.ApiVersion, null);
        var fields = managers.GetValueOrDefault(bucket)?.Fields ?? new FieldSet();
        foreach (var entry in oldest)
        {
            managers.Remove(entry.Identity);
            fields = fields.Union(entry.Fields);
        }

        managers[bucket] = new ManagedEntry(bucket, newest.ApiVersion, newest.Time, fields);
    }

    /// <summary>Removes metadata.managedFields from <paramref name="obj"/> itself (an empty object for null).</summary>
    private static JsonObject StripManagedFields(JsonObject? obj)
    {
        obj ??= [];
        (obj["metadata"] as JsonObject)?.Remove("managedFields");
        return obj;
    }

    private static JsonObject WithoutManagedFields(JsonObject? obj)
    {
        var copy = obj?.DeepClone() as JsonObject ?? [];
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    if (value is not null)
                    {
                        result[name] = WithoutNulls(value);
                    }
                }

                return result;
            case JsonArray list:
                return new JsonArray(list.Select(WithoutNulls).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    private static FieldSet Paths(IEnumerable<string>? dotted)
    {
        var set = new FieldSet();
        foreach (var path in dotted ?? [])
        {
            set.Insert(path.Split('.').Select(FieldSet.FieldElement).ToList());
        }

        return set;
    }

    private static FieldSet BuildUnowned()
    {
        var set = Paths(["apiVersion", "kind", "metadata"]);
        foreach (var name in new[] { "name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion" })
        {
            set.Insert([FieldSet.FieldElement("metadata"), FieldSet.FieldElement(name)]);
        }

        return set;
    }
}
