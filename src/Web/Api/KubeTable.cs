using System.Text.Json;

namespace KubeWeb.Web.Api;

/// <summary>A column of the server's <c>meta.k8s.io/v1</c> Table (kubectl's columns).</summary>
public sealed record KubeColumn(string Name, string Type, string Format, int Priority, string Description);

/// <summary>One row of a Table: the printed cells plus the object's metadata that identifies it.</summary>
public sealed record KubeRow(string? Namespace, string Name, string Uid, DateTimeOffset? Created,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Cells)
{
    public string Key => $"{Namespace}/{Name}";

    /// <summary>The object's owner references (from the row's metadata), for owner/owned navigation.</summary>
    public IReadOnlyList<KubeOwner> Owners { get; init; } = [];

    /// <summary>The uid of the owner that controls this object, if any.</summary>
    public string? ControllerUid => Owners.FirstOrDefault(o => o.Controller)?.Uid;
}

/// <summary>One owner reference of a row.</summary>
public sealed record KubeOwner(string ApiVersion, string Kind, string Name, string Uid, bool Controller);

/// <summary>A Table answer: columns, rows and the resourceVersion a watch resumes from.</summary>
public sealed record KubeTable(IReadOnlyList<KubeColumn> Columns, IReadOnlyList<KubeRow> Rows, string ResourceVersion);

/// <summary>A watch event of a Table watch (one row each), or an ERROR status / BOOKMARK.</summary>
public sealed record KubeTableEvent(string Type, KubeRow? Row, IReadOnlyList<KubeColumn>? Columns, string? ResourceVersion, int? ErrorCode)
{
    /// <summary>Only on the synthetic SNAPSHOT event a live feed starts with.</summary>
    public IReadOnlyList<KubeRow>? Rows { get; init; }
}

/// <summary>Reads Table JSON as the API (and kube-apiserver) writes it.</summary>
public static class KubeTableReader
{
    public static KubeTable Read(JsonElement table)
    {
        var columns = ReadColumns(table);
        var rows = new List<KubeRow>();
        if (table.TryGetProperty("rows", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var row in array.EnumerateArray())
            {
                rows.Add(ReadRow(row));
            }
        }

        return new KubeTable(columns, rows, Str(table, "metadata", "resourceVersion") ?? "");
    }

    public static IReadOnlyList<KubeColumn> ReadColumns(JsonElement table)
    {
        var columns = new List<KubeColumn>();
        if (table.TryGetProperty("columnDefinitions", out var defs) && defs.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in defs.EnumerateArray())
            {
                columns.Add(new KubeColumn(Str(c, "name") ?? "", Str(c, "type") ?? "string", Str(c, "format") ?? "",
                    c.TryGetProperty("priority", out var p) && p.TryGetInt32(out var pi) ? pi : 0, Str(c, "description") ?? ""));
            }
        }

        return columns;
    }

    public static KubeRow ReadRow(JsonElement row)
    {
        var cells = new List<string>();
        if (row.TryGetProperty("cells", out var array))
        {
            foreach (var cell in array.EnumerateArray())
            {
                cells.Add(cell.ValueKind switch
                {
                    JsonValueKind.String => cell.GetString() ?? "",
                    JsonValueKind.Null or JsonValueKind.Undefined => "",
                    _ => cell.GetRawText(),
                });
            }
        }

        var meta = row.TryGetProperty("object", out var obj) && obj.TryGetProperty("metadata", out var m) ? m : default;
        var labels = new Dictionary<string, string>();
        if (meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in l.EnumerateObject())
            {
                labels[p.Name] = p.Value.GetString() ?? "";
            }
        }

        var name = meta.ValueKind == JsonValueKind.Object ? Str(meta, "name") : null;
        var created = meta.ValueKind == JsonValueKind.Object && Str(meta, "creationTimestamp") is { } ts
            && DateTimeOffset.TryParse(ts, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;
        var owners = new List<KubeOwner>();
        if (meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("ownerReferences", out var refs) && refs.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in refs.EnumerateArray())
            {
                owners.Add(new KubeOwner(Str(r, "apiVersion") ?? "", Str(r, "kind") ?? "", Str(r, "name") ?? "", Str(r, "uid") ?? "",
                    r.TryGetProperty("controller", out var c) && c.ValueKind == JsonValueKind.True));
            }
        }

        return new KubeRow(meta.ValueKind == JsonValueKind.Object ? Str(meta, "namespace") : null,
            name ?? (cells.Count > 0 ? cells[0] : ""), meta.ValueKind == JsonValueKind.Object ? Str(meta, "uid") ?? "" : "", created, labels, cells)
        {
            Owners = owners,
        };
    }

    public static KubeTableEvent ReadEvent(JsonElement e)
    {
        var type = Str(e, "type") ?? "";
        var obj = e.GetProperty("object");
        return type switch
        {
            "ERROR" => new KubeTableEvent(type, null, null, null, obj.TryGetProperty("code", out var c) && c.TryGetInt32(out var code) ? code : 500),
            "BOOKMARK" => new KubeTableEvent(type, null, null, Str(obj, "metadata", "resourceVersion"), null),
            _ => ReadRowEvent(type, obj),
        };
    }

    private static KubeTableEvent ReadRowEvent(string type, JsonElement table)
    {
        var columns = ReadColumns(table);
        KubeRow? row = null;
        if (table.TryGetProperty("rows", out var rows) && rows.GetArrayLength() > 0)
        {
            row = ReadRow(rows[0]);
        }

        return new KubeTableEvent(type, row, columns.Count > 0 ? columns : null, Str(table, "metadata", "resourceVersion"), null);
    }

    private static string? Str(JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e))
            {
                return null;
            }
        }

        return e.ValueKind == JsonValueKind.String ? e.GetString() : null;
    }
}
