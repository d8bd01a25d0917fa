using System.Text.Json;
using k8s;
using k8s.Models;
using KubeWeb.Api.Printing;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Http;

/// <summary>How much of each object a Table row carries (<c>includeObject</c>).</summary>
public enum IncludeObject
{
    Metadata,
    Object,
    None,
}

/// <summary>Writes <c>meta.k8s.io/v1</c> Table responses from the kind's printer.</summary>
internal static class TableWriter
{
    public const string ContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    public static bool Wants(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.Ordinal) && accept.Contains("g=meta.k8s.io", StringComparison.Ordinal);

    public static IncludeObject ParseInclude(string? value) => value switch
    {
        "Object" => IncludeObject.Object,
        "None" => IncludeObject.None,
        _ => IncludeObject.Metadata,
    };

    /// <summary>
    /// Writes a Table; <paramref name="rows"/> pairs each typed object with its raw JSON (used for
    /// <c>includeObject=Object</c>).
    /// </summary>
    public static void Write(
        Utf8JsonWriter w, ITablePrinter printer, IEnumerable<(IKubernetesObject<V1ObjectMeta> Obj, byte[] Json)> rows,
        DateTimeOffset now, IncludeObject include, bool withColumns, string? resourceVersion, string? continueToken)
    {
        w.WriteStartObject();
        w.WriteString("kind", "Table");
        w.WriteString("apiVersion", "meta.k8s.io/v1");
        w.WriteStartObject("metadata");
        if (resourceVersion is not null)
        {
            w.WriteString("resourceVersion", resourceVersion);
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            w.WriteString("continue", continueToken);
        }

        w.WriteEndObject();
        if (withColumns)
        {
            w.WriteStartArray("columnDefinitions");
            foreach (var c in printer.Columns)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("type", c.Type);
                w.WriteString("format", c.Format);
                w.WriteString("description", c.Description);
                w.WriteNumber("priority", c.Priority);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("columnDefinitions");
        }

        w.WriteStartArray("rows");
        foreach (var (obj, json) in rows)
        {
            w.WriteStartObject();
            w.WriteStartArray("cells");
            foreach (var cell in printer.Cells(obj, now))
            {
                JsonSerializer.Serialize(w, cell, cell?.GetType() ?? typeof(object), KubeJson.Options);
            }

            w.WriteEndArray();
            switch (include)
            {
                case IncludeObject.Object:
                    w.WritePropertyName("object");
                    w.WriteRawValue(json, skipInputValidation: true);
                    break;
                case IncludeObject.Metadata:
                    w.WriteStartObject("object");
                    w.WriteString("kind", "PartialObjectMetadata");
                    w.WriteString("apiVersion", "meta.k8s.io/v1");
                    w.WritePropertyName("metadata");
                    JsonSerializer.Serialize(w, obj.Metadata, KubeJson.Options);
                    w.WriteEndObject();
                    break;
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
