using System.Buffers;
using System.Text.Json;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Http;

public sealed partial class ResourceHandler
{
    private async Task GetAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var stored = Require(type, info);
        if (TableWriter.Wants(ctx.Request.Headers.Accept))
        {
            var buffer = new ArrayBufferWriter<byte>();
            await using (var w = new Utf8JsonWriter(buffer))
            {
                TableWriter.Write(w, printers.For(type), [(stored.Object, stored.Json)], time.GetUtcNow(),
                    TableWriter.ParseInclude(ctx.Request.Query["includeObject"]), true, stored.ResourceVersion.ToString(), null);
            }

            await Responses.WriteRawAsync(ctx, 200, buffer.WrittenMemory, TableWriter.ContentType);
            return;
        }

        await Responses.WriteRawAsync(ctx, 200, Served(type, stored));
    }

    private async Task ListAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var query = ListQuery.From(ctx.Request, info.Namespace, type, strategies.For(type));
        var (all, revision) = store.List(type.StorageResource, info.Namespace);
        var rv = ctx.Request.Query["resourceVersion"].ToString();
        if (long.TryParse(rv, out var minRv) && minRv > revision && ctx.Request.Query["resourceVersionMatch"] != "Exact")
        {
            throw new ApiError(504, "Timeout", $"Too large resource version: {minRv}, current: {revision}");
        }

        var items = all.Where(query.Matches).ToList();
        items.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));

        var continueParam = ctx.Request.Query["continue"].ToString();
        if (continueParam.Length > 0)
        {
            var (start, tokenRevision) = ContinueToken.Decode(continueParam);
            if (tokenRevision < store.Cache.CompactedRevision)
            {
                throw ApiError.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }

            items = [.. items.Where(o => string.CompareOrdinal(o.Key, start) > 0)];
            revision = tokenRevision;
        }

        string? next = null;
        if (int.TryParse(ctx.Request.Query["limit"], out var limit) && limit > 0 && items.Count > limit)
        {
            items = items[..limit];
            next = ContinueToken.Encode(items[^1].Key, revision);
        }

        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using (var w = new Utf8JsonWriter(buffer))
        {
            if (TableWriter.Wants(ctx.Request.Headers.Accept))
            {
                TableWriter.Write(w, printers.For(type), items.Select(o => (o.Object, o.Json)), time.GetUtcNow(),
                    TableWriter.ParseInclude(ctx.Request.Query["includeObject"]), true, revision.ToString(), next);
            }
            else
            {
                w.WriteStartObject();
                w.WriteString("kind", type.ListKind);
                w.WriteString("apiVersion", type.ApiVersion);
                w.WriteStartObject("metadata");
                w.WriteString("resourceVersion", revision.ToString());
                if (next is not null)
                {
                    w.WriteString("continue", next);
                    w.WriteNumber("remainingItemCount", all.Count(query.Matches) - items.Count);
                }

                w.WriteEndObject();
                w.WriteStartArray("items");
                foreach (var o in items)
                {
                    w.WriteRawValue(Served(type, o), skipInputValidation: true);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }
        }

        await Responses.WriteRawAsync(ctx, 200, buffer.WrittenMemory,
            TableWriter.Wants(ctx.Request.Headers.Accept) ? TableWriter.ContentType : Responses.Json);
    }

    /// <summary>The stored object as the requested version serves it.</summary>
    private byte[] Served(ResourceType type, StoredObject stored) =>
        type.StorageOverride is null ? stored.Json : Conversion.VersionConverter.FromStorage(type, stored, Codec);
}
