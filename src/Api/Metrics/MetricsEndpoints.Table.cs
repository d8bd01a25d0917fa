using System.Buffers;
using System.Text.Json;
using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Core.Serialization;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Metrics;

/// <summary>Table output for <c>kubectl get nodes.metrics.k8s.io</c> / <c>pods.metrics.k8s.io</c>: NAME, CPU, MEMORY, WINDOW, as metrics-server prints.</summary>
public static partial class MetricsEndpoints
{
    private sealed record TableRow(V1ObjectMeta Meta, long Cpu, long Memory, double Window, Action<Utf8JsonWriter> Write);

    private static async Task WriteTableAsync(HttpContext ctx, IEnumerable<TableRow> rows)
    {
        var include = TableWriter.ParseInclude(ctx.Request.Query["includeObject"]);
        var buffer = new ArrayBufferWriter<byte>(4096);
        await using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", "Table");
            w.WriteString("apiVersion", "meta.k8s.io/v1");
            w.WriteStartObject("metadata");
            w.WriteEndObject();
            w.WriteStartArray("columnDefinitions");
            foreach (var (name, description) in new[]
            {
                ("Name", "Name must be unique within a namespace."),
                ("CPU", "CPU usage"),
                ("Memory", "Memory usage"),
                ("Window", "The window over which usage was measured"),
            })
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("type", "string");
                w.WriteString("format", name == "Name" ? "name" : "");
                w.WriteString("description", description);
                w.WriteNumber("priority", 0);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var row in rows)
            {
                w.WriteStartObject();
                w.WriteStartArray("cells");
                w.WriteStringValue(row.Meta.Name);
                w.WriteStringValue(MetricsFormat.Cpu(row.Cpu));
                w.WriteStringValue(MetricsFormat.Memory(row.Memory));
                w.WriteStringValue(MetricsFormat.Window(row.Window));
                w.WriteEndArray();
                switch (include)
                {
                    case IncludeObject.Object:
                        w.WritePropertyName("object");
                        row.Write(w);
                        break;
                    case IncludeObject.Metadata:
                        w.WriteStartObject("object");
                        w.WriteString("kind", "PartialObjectMetadata");
                        w.WriteString("apiVersion", "meta.k8s.io/v1");
                        w.WritePropertyName("metadata");
                        JsonSerializer.Serialize(w, new V1ObjectMeta
                        {
                            Name = row.Meta.Name,
                            NamespaceProperty = row.Meta.NamespaceProperty,
                            Labels = row.Meta.Labels,
                            CreationTimestamp = row.Meta.CreationTimestamp,
                        }, KubeJson.Options);
                        w.WriteEndObject();
                        break;
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        await Responses.WriteRawAsync(ctx, 200, buffer.WrittenMemory, TableWriter.ContentType);
    }
}
