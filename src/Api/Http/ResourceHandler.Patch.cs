using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeWeb.Api.Patching;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Http;

public sealed partial class ResourceHandler
{
    private async Task PatchAsync(HttpContext ctx, RequestInfo info, ResourceType type, string? subresource)
    {
        var media = BodyDecoder.MediaType(ctx.Request.ContentType);
        if (media is not ("application/json-patch+json" or "application/merge-patch+json" or
            "application/strategic-merge-patch+json" or "application/apply-patch+yaml"))
        {
            throw ApiError.UnsupportedMediaType(media);
        }

        var opts = WriteOptions.From(ctx.Request, "patch");
        var raw = await BodyDecoder.ReadAsync(ctx.Request, ctx.RequestAborted);
        var patch = BodyDecoder.Parse(raw, media);
        var warnings = new List<string>();

        if (media == "application/apply-patch+yaml")
        {
            await ApplyAsync(ctx, info, type, subresource, patch, opts, warnings);
            return;
        }

        if (media != "application/json-patch+json" && patch is not JsonObject)
        {
            throw ApiError.BadRequest("the patch must be a JSON object");
        }

        var preconditioned = patch is JsonObject p && p["metadata"]?["resourceVersion"] is not null;
        var stored = await UpdateObjectAsync(type, info, current =>
        {
            var live = JsonNode.Parse(Served(type, current))!;
            JsonNode? result;
            try
            {
                result = media switch
                {
                    "application/json-patch+json" => JsonPatch.Apply(live, patch),
                    "application/merge-patch+json" => JsonMergePatch.Apply(live, patch),
                    _ => StrategicMergePatch.Apply(live, patch, type.ClrType),
                };
            }
            catch (PatchException e)
            {
                throw ManagedFieldsTracker.PatchError(e);
            }

            if (result is not JsonObject patched)
            {
                throw ApiError.BadRequest("the patched object is not a JSON object");
            }

            warnings.Clear();
            return ToStorage(type, ObjectDecoder.Decode(patched, type, opts.Validation, null, warnings));
        }, subresource, opts, preconditioned, ctx.RequestAborted);

        AddWarnings(ctx, warnings);
        await Responses.WriteRawAsync(ctx, 200, Served(type, stored));
    }

    /// <summary>Server-side apply: create when missing, otherwise merge under field ownership.</summary>
    private async Task ApplyAsync(HttpContext ctx, RequestInfo info, ResourceType type, string? subresource,
        JsonNode patch, WriteOptions opts, List<string> warnings)
    {
        if (patch is not JsonObject applied)
        {
            throw ApiError.BadRequest("the apply configuration must be an object");
        }

        if (ctx.Request.Query["fieldManager"].ToString().Length == 0)
        {
            throw ApiError.BadRequest("PATCH, application/apply-patch+yaml requests require a fieldManager");
        }

        var existing = store.Get(type.StorageResource, Ns(info), info.Name!);
        if (existing is null && subresource is null)
        {
            var created = ManagedFields.ApplyCreate(type, applied, opts.FieldManager, Now());
            var obj = ToStorage(type, ObjectDecoder.Decode(created, type, opts.Validation, null, warnings));
            obj.Metadata.Name ??= info.Name;
            if (obj.Metadata.Name != info.Name)
            {
                throw ApiError.BadRequest($"the name of the object ({obj.Metadata.Name}) does not match the name on the URL ({info.Name})");
            }

            var stored = await CreateObjectAsync(type, info.Namespace, obj, opts with { FieldManager = "" }, ctx.RequestAborted);
            AddWarnings(ctx, warnings);
            await Responses.WriteRawAsync(ctx, 201, Served(type, stored));
            return;
        }

        var result = await UpdateObjectAsync(type, info, current =>
        {
            var live = JsonNode.Parse(Served(type, current))!.AsObject();
            var merged = ManagedFields.Apply(type, live, applied, opts.FieldManager, opts.Force, Now(), subresource);
            warnings.Clear();
            return ToStorage(type, ObjectDecoder.Decode(merged, type, opts.Validation, null, warnings));
        }, subresource, opts with { FieldManager = "" }, preconditioned: applied["metadata"]?["resourceVersion"] is not null, ctx.RequestAborted);

        AddWarnings(ctx, warnings);
        await Responses.WriteRawAsync(ctx, 200, Served(type, result));
    }
}
