using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>Who owns a set of fields: one <c>metadata.managedFields</c> entry. Update entries are kept
/// per API version, as Kubernetes does; Apply entries are one per manager.</summary>
internal sealed record ManagerIdentity(string Manager, string Operation, string? UpdateApiVersion, string? Subresource)
{
    public const string ApplyOperation = "Apply";
    public const string UpdateOperation = "Update";

    public bool IsApply => Operation == ApplyOperation;

    public static ManagerIdentity Apply(string manager, string? subresource) => new(manager, ApplyOperation, null, Normalize(subresource));

    public static ManagerIdentity Update(string manager, string apiVersion, string? subresource) =>
        new(manager, UpdateOperation, apiVersion, Normalize(subresource));

    /// <summary>How Kubernetes names a manager in conflict messages.</summary>
    public string Describe(string apiVersion)
    {
        var text = $"\"{Manager}\"";
        if (!string.IsNullOrEmpty(Subresource))
        {
            text += $" with subresource \"{Subresource}\"";
        }

        return IsApply ? text : $"{text} using {apiVersion}";
    }

    private static string? Normalize(string? subresource) => string.IsNullOrEmpty(subresource) ? null : subresource;
}

internal sealed record ManagedEntry(ManagerIdentity Identity, string ApiVersion, string? Time, FieldSet Fields);

/// <summary>Reads and writes <c>metadata.managedFields</c>.</summary>
internal static class ManagedFieldsEntries
{
    /// <summary>The entries of an object's managedFields; entries that are not FieldsV1 are skipped.</summary>
    public static Dictionary<ManagerIdentity, ManagedEntry> Decode(JsonNode? managedFields)
    {
        var entries = new Dictionary<ManagerIdentity, ManagedEntry>();
        if (managedFields is not JsonArray list)
        {
            return entries;
        }

        foreach (var node in list)
        {
            if (node is not JsonObject entry || Text(entry, "fieldsType") != "FieldsV1" || Text(entry, "manager") is not { } manager)
            {
                continue;
            }

            Add(entries, manager, Text(entry, "apiVersion"), Text(entry, "operation"), Text(entry, "subresource"), Text(entry, "time"),
                entry["fieldsV1"] is JsonObject fieldsV1 ? FieldSet.FromFieldsV1(fieldsV1) : new FieldSet());
        }

        return entries;
    }

    /// <summary>Entries sorted as the API server sorts them (operation, time, manager, version, subresource);
    /// empty sets are dropped.</summary>
    public static JsonArray Encode(IEnumerable<ManagedEntry> entries)
    {
        var result = new JsonArray();
        foreach (var entry in Ordered(entries))
        {
            var json = new JsonObject
            {
                ["manager"] = entry.Identity.Manager,
                ["operation"] = entry.Identity.Operation,
                ["apiVersion"] = entry.ApiVersion,
            };
            if (entry.Time is not null)
            {
                json["time"] = entry.Time;
            }

            json["fieldsType"] = "FieldsV1";
            json["fieldsV1"] = entry.Fields.ToFieldsV1();
            if (!string.IsNullOrEmpty(entry.Identity.Subresource))
            {
                json["subresource"] = entry.Identity.Subresource;
            }

            result.Add(json);
        }

        return result;
    }

    /// <summary>Entries sorted as the API server sorts them (operation, time, manager, version, subresource); empty sets are dropped.</summary>
    public static List<ManagedEntry> Ordered(IEnumerable<ManagedEntry> entries) =>
    [
        .. entries
            .Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Identity.Operation, StringComparer.Ordinal)
            .ThenBy(e => Seconds(e.Time))
            .ThenBy(e => e.Identity.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Identity.Subresource ?? "", StringComparer.Ordinal),
    ];

    /// <summary>
    /// <see cref="Encode"/> straight to JSON text: the same entries, fields and order, without
    /// building a tree of nodes first.
    /// </summary>
    public static void Write(Utf8JsonWriter w, IReadOnlyList<ManagedEntry> ordered)
    {
        w.WriteStartArray();
        foreach (var entry in ordered)
        {
            w.WriteStartObject();
            w.WriteString("manager", entry.Identity.Manager);
            w.WriteString("operation", entry.Identity.Operation);
            w.WriteString("apiVersion", entry.ApiVersion);
            if (entry.Time is not null)
            {
                w.WriteString("time", entry.Time);
            }

            w.WriteString("fieldsType", "FieldsV1");
            w.WritePropertyName("fieldsV1");
            entry.Fields.WriteFieldsV1(w);
            if (!string.IsNullOrEmpty(entry.Identity.Subresource))
            {
                w.WriteString("subresource", entry.Identity.Subresource);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary><see cref="Decode(JsonNode?)"/> from a parsed document, without building nodes.</summary>
    public static Dictionary<ManagerIdentity, ManagedEntry> Decode(JsonElement managedFields)
    {
        var entries = new Dictionary<ManagerIdentity, ManagedEntry>();
        if (managedFields.ValueKind != JsonValueKind.Array)
        {
            return entries;
        }

        foreach (var entry in managedFields.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || Text(entry, "fieldsType") != "FieldsV1" || Text(entry, "manager") is not { } manager)
            {
                continue;
            }

            Add(entries, manager, Text(entry, "apiVersion"), Text(entry, "operation"), Text(entry, "subresource"), Text(entry, "time"),
                entry.TryGetProperty("fieldsV1", out var fieldsV1) && fieldsV1.ValueKind == JsonValueKind.Object
                    ? FieldSet.FromFieldsV1(fieldsV1)
                    : new FieldSet());
        }

        return entries;
    }

    /// <summary>Adds one decoded entry; two entries of the same manager identity merge their fields.</summary>
    private static void Add(Dictionary<ManagerIdentity, ManagedEntry> entries, string manager, string? apiVersion,
        string? operation, string? subresource, string? time, FieldSet fields)
    {
        apiVersion ??= "";
        var identity = operation == ManagerIdentity.ApplyOperation
            ? ManagerIdentity.Apply(manager, subresource)
            : ManagerIdentity.Update(manager, apiVersion, subresource);
        if (entries.TryGetValue(identity, out var existing))
        {
            fields = fields.Union(existing.Fields);
        }

        entries[identity] = new ManagedEntry(identity, apiVersion, time, fields);
    }

    /// <summary>RFC 3339 with whole seconds, as metav1.Time serializes.</summary>
    public static string FormatTime(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime();
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Seconds since the epoch of an entry's time (0 when absent or unreadable). The format
    /// <see cref="FormatTime"/> writes is read exactly first: the general parser costs several times more,
    /// and entries are ordered by time on every write.
    /// </summary>
    public static long Seconds(string? time) =>
        time is null ? 0
        : DateTime.TryParseExact(time, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact) ? new DateTimeOffset(exact, TimeSpan.Zero).ToUnixTimeSeconds()
        : DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed.ToUnixTimeSeconds()
        : 0;

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Text(JsonObject entry, string name) =>
        entry[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
