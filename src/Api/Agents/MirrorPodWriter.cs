using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Agents;

/// <summary>
/// The server half of static pods: keeps each static pod's mirror in the API, as the kubelet's
/// mirror client does. A node may only write mirrors of its own (spec.nodeName, owner reference
/// to its Node, the <c>kubernetes.io/config.mirror</c> annotation). A mirror whose hash differs
/// (the manifest changed) or that a user is deleting is removed at once and created again; a
/// regular pod holding the name is left alone and reported as a conflict.
/// </summary>
internal sealed class MirrorPodWriter(ResourceHandler handler, ObjectStore store, ResourceRegistry registry)
{
    private const string FieldManager = "kubelet";

    private readonly ResourceType _pods = registry.Find("", "v1", "pods")!;

    public async Task<MirrorPodResult> SyncAsync(string nodeName, string nodeUid, MirrorPodRequest request, V1Pod pod, CancellationToken ct)
    {
        var info = new RequestInfo("", "v1", request.Namespace, "pods", request.Name, null);
        if (store.Get("pods", request.Namespace, request.Name)?.Object is V1Pod existing)
        {
            if (!IsMirrorOf(existing, nodeName))
            {
                return new MirrorPodResult(null, false, $"pod {request.Namespace}/{request.Name} exists and is not a mirror pod of node {nodeName}");
            }

            if (existing.Metadata.Annotations[StaticPodAnnotations.Mirror] == request.Hash && existing.Metadata.DeletionTimestamp is null)
            {
                return new MirrorPodResult(existing.Metadata.Uid, false, null);
            }

            // Out of date or being deleted by a user: the kubelet deletes it outright and recreates it.
            var userDeleting = existing.Metadata.DeletionTimestamp is not null;
            try
            {
                await handler.DeleteObjectAsync(_pods, info, new V1DeleteOptions
                {
                    GracePeriodSeconds = 0,
                    Preconditions = new V1Preconditions { Uid = existing.Metadata.Uid },
                }, ct);
            }
            catch (ApiError e) when (e.Code is 404 or 409)
            {
                // Deleted or replaced meanwhile: create below, or find the replacement next round.
            }

            if (userDeleting)
            {
                // Recreated by a later call, not this one. `kubectl delete` (1.32) waits by GETting the pod,
                // then listing and watching its name for a DELETED event: a replacement created between that
                // GET and LIST looks like the old pod still there, and kubectl would wait forever.
                return new MirrorPodResult(null, false, null);
            }
        }

        pod.Metadata ??= new V1ObjectMeta();
        pod.Metadata.Name = request.Name;
        pod.Metadata.NamespaceProperty = request.Namespace;
        pod.Metadata.Uid = null;
        pod.Metadata.ResourceVersion = null;
        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        pod.Metadata.Annotations[StaticPodAnnotations.Mirror] = request.Hash;
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = nodeName, Uid = nodeUid, Controller = true }];
        pod.Spec ??= new V1PodSpec();
        pod.Spec.NodeName = nodeName;
        pod.Status = null;
        try
        {
            var created = await handler.CreateObjectAsync(_pods, request.Namespace, pod, WriteOptions.Internal(FieldManager), ct);
            return new MirrorPodResult(created.Object.Metadata.Uid, true, null);
        }
        catch (ApiError e) when (e.Code == 409 && store.Get("pods", request.Namespace, request.Name)?.Object is V1Pod raced && IsMirrorOf(raced, nodeName))
        {
            return new MirrorPodResult(raced.Metadata.Uid, false, null);
        }
    }

    public async Task DeleteAsync(string nodeName, MirrorPodDelete request, CancellationToken ct)
    {
        if (store.Get("pods", request.Namespace, request.Name)?.Object is not V1Pod existing || !IsMirrorOf(existing, nodeName))
        {
            return;
        }

        try
        {
            await handler.DeleteObjectAsync(_pods, new RequestInfo("", "v1", request.Namespace, "pods", request.Name, null), new V1DeleteOptions
            {
                GracePeriodSeconds = 0,
                Preconditions = new V1Preconditions { Uid = existing.Metadata.Uid },
            }, ct);
        }
        catch (ApiError e) when (e.Code is 404 or 409)
        {
        }
    }

    public static V1Pod Decode(string json) =>
        KubeJson.Deserialize<V1Pod>(System.Text.Encoding.UTF8.GetBytes(json)) ?? throw new System.Text.Json.JsonException("empty pod");

    private static bool IsMirrorOf(V1Pod pod, string nodeName) =>
        StaticPodAnnotations.IsMirror(pod.Metadata.Annotations) && pod.Spec?.NodeName == nodeName;
}
