using System.Text.Json;
using k8s;
using k8s.Models;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Http;

public sealed partial class ResourceHandler
{
    private async Task DeleteAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var options = await ReadDeleteOptionsAsync(ctx);
        var (stored, finished) = await DeleteObjectAsync(type, info, options, ctx.RequestAborted);
        if (!finished || type.Plural is "pods" or "namespaces")
        {
            // Deletion pending (finalizers, grace period) or kinds whose delete returns the object.
            // 202 only for the legacy orphanDependents=false request, as kube-apiserver does.
            await Responses.WriteRawAsync(ctx, !finished && options.OrphanDependents == false ? 202 : 200, Served(type, stored));
            return;
        }

        await Responses.WriteAsync(ctx, 200, Responses.Success(info.Name!, type.Group, type.Plural, stored.Object.Metadata.Uid));
    }

    private async Task DeleteCollectionAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var options = await ReadDeleteOptionsAsync(ctx);
        var query = ListQuery.From(ctx.Request, info.Namespace, type, strategies.For(type));
        var (items, _) = store.List(type.StorageResource, info.Namespace);
        var deleted = new List<StoredObject>();
        foreach (var o in items.Where(query.Matches))
        {
            try
            {
                var (s, _) = await DeleteObjectAsync(type, info with { Namespace = o.Namespace.Length == 0 ? null : o.Namespace, Name = o.Name }, options, ctx.RequestAborted);
                deleted.Add(s);
            }
            catch (ApiError e) when (e.Code == 404)
            {
            }
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        await using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", type.ListKind);
            w.WriteString("apiVersion", type.ApiVersion);
            w.WriteStartObject("metadata");
            w.WriteString("resourceVersion", store.Revision.ToString());
            w.WriteEndObject();
            w.WriteStartArray("items");
            foreach (var o in deleted)
            {
                w.WriteRawValue(Served(type, o), skipInputValidation: true);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        await Responses.WriteRawAsync(ctx, 200, buffer.WrittenMemory);
    }

    /// <summary>
    /// Deletes one object as kube-apiserver does: with finalizers (or a propagation policy that needs
    /// one) it is only marked with a deletionTimestamp; a pod on a node gets its grace period for the
    /// node to stop it; a namespace goes Terminating; everything else is removed now.
    /// Returns the last state and whether the object is gone.
    /// </summary>
    /// <summary>A delete's uid and resourceVersion preconditions against the object as stored now: 409 when one does not hold.</summary>
    private static void CheckPreconditions(ResourceType type, string name, V1Preconditions? preconditions, V1ObjectMeta meta)
    {
        if (preconditions?.Uid is { Length: > 0 } uid && uid != meta.Uid)
        {
            throw ApiError.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {meta.Uid}");
        }

        if (preconditions?.ResourceVersion is { Length: > 0 } rv && rv != meta.ResourceVersion)
        {
            throw ApiError.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {meta.ResourceVersion}");
        }
    }

    internal async Task<(StoredObject Stored, bool Finished)> DeleteObjectAsync(
        ResourceType type, RequestInfo info, V1DeleteOptions options, CancellationToken ct)
    {
        var dryRun = options.DryRun?.Contains("All") == true;
        for (var attempt = 0; ; attempt++)
        {
            var current = Require(type, info);
            var meta = current.Object.Metadata;
            CheckPreconditions(type, info.Name!, options.Preconditions, meta);

            var propagationFinalizer = (options.PropagationPolicy ?? (options.OrphanDependents == true ? "Orphan" : null)) switch
            {
                "Orphan" => "orphan",
                "Foreground" => "foregroundDeletion",
                null or "Background" => null,
                _ => throw ApiError.BadRequest($"propagationPolicy: Unsupported value: \"{options.PropagationPolicy}\": supported values: \"Foreground\", \"Background\", \"Orphan\""),
            };

            var grace = GracePeriod(type, current.Object, options);
            var namespaceTerminating = type.Plural == "namespaces";
            if (meta.Finalizers is { Count: > 0 } || propagationFinalizer is not null || grace > 0 || namespaceTerminating)
            {
                if (dryRun)
                {
                    return (current, false);
                }

                return (await MarkDeletingAsync(type, info, current, Now(), grace, propagationFinalizer, ct), false);
            }

            if (dryRun)
            {
                return (current, true);
            }

            try
            {
                return (await store.DeleteAsync(type.StorageResource, Ns(info), info.Name!, current.ResourceVersion, ct), true);
            }
            catch (StoreConflictException) when (attempt < 16)
            {
            }
            catch (StoreNotFoundException)
            {
                throw ApiError.NotFound(type, info.Name!);
            }
        }
    }

    /// <summary>Sets deletionTimestamp (and the namespace phase) directly: the strategies treat these as server-owned.</summary>
    private async Task<StoredObject> MarkDeletingAsync(ResourceType type, RequestInfo info, StoredObject current, DateTime now, long grace,
        string? propagationFinalizer, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var copy = Codec.Copy(current);
            var meta = copy.Metadata;
            var changed = false;

            // The propagation policy's finalizer goes on in the same write as the deletion mark, as upstream does.
            if (propagationFinalizer is not null && meta.Finalizers?.Contains(propagationFinalizer) != true)
            {
                meta.Finalizers = [.. meta.Finalizers ?? [], propagationFinalizer];
                changed = true;
            }

            if (meta.DeletionTimestamp is null)
            {
                meta.DeletionTimestamp = now.AddSeconds(grace);
                meta.DeletionGracePeriodSeconds = grace;
                changed = true;
            }
            else if (grace < (meta.DeletionGracePeriodSeconds ?? 0))
            {
                // A shorter grace period shortens a pending deletion, as in Kubernetes.
                meta.DeletionTimestamp = now.AddSeconds(grace);
                meta.DeletionGracePeriodSeconds = grace;
                changed = true;
            }

            if (copy is V1Namespace ns && ns.Status?.Phase != "Terminating")
            {
                ns.Status ??= new V1NamespaceStatus();
                ns.Status.Phase = "Terminating";
                changed = true;
            }

            if (!changed)
            {
                return current;
            }

            if ((meta.Finalizers is null || meta.Finalizers.Count == 0) && grace == 0 && copy is not V1Namespace)
            {
                return await store.DeleteAsync(type.StorageResource, Ns(info), info.Name!, current.ResourceVersion, ct);
            }

            try
            {
                return await store.UpdateAsync(type.StorageResource, copy, current.ResourceVersion, ct);
            }
            catch (StoreConflictException) when (attempt < 16)
            {
                current = Require(type, info);
            }
        }
    }

    /// <summary>Pods bound to a node get their grace period so the node can stop them; everything else goes at once.</summary>
    private static long GracePeriod(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, V1DeleteOptions options)
    {
        if (obj is not V1Pod pod || string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return 0;
        }

        var grace = options.GracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? 30;
        return Math.Max(0, grace);
    }

    private static async Task<V1DeleteOptions> ReadDeleteOptionsAsync(HttpContext ctx)
    {
        V1DeleteOptions options = new();
        var raw = await BodyDecoder.ReadAsync(ctx.Request, ctx.RequestAborted);
        if (raw.Length > 0)
        {
            var media = BodyDecoder.MediaType(ctx.Request.ContentType);
            var node = BodyDecoder.Parse(raw, media is "application/vnd.kubernetes.protobuf" ? media : "application/json");
            try
            {
                options = node.Deserialize<V1DeleteOptions>(KubeJson.Options) ?? new();
            }
            catch (JsonException e)
            {
                throw ApiError.BadRequest($"invalid DeleteOptions: {e.Message}");
            }
        }

        var q = ctx.Request.Query;
        if (long.TryParse(q["gracePeriodSeconds"], out var g))
        {
            options.GracePeriodSeconds = g;
        }

        if (q["propagationPolicy"].ToString() is { Length: > 0 } p)
        {
            options.PropagationPolicy = p;
        }

        if (q["dryRun"].ToString() is { Length: > 0 } d)
        {
            options.DryRun = [d];
        }

        return options;
    }
}
