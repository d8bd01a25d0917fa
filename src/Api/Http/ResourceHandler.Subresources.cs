using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeWeb.Api.Patching;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Selectors;
using KubeWeb.Core.Serialization;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Http;

public sealed partial class ResourceHandler
{
    private Task SubresourceAsync(HttpContext ctx, RequestInfo info, ResourceType type, string sub)
    {
        if (!type.Subresources.Contains(sub))
        {
            throw NotFoundPath();
        }

        var method = ctx.Request.Method;
        return (sub, method) switch
        {
            ("status", "GET") => GetAsync(ctx, info with { Subresource = null }, type),
            ("status", "PUT") => UpdateAsync(ctx, info, type, "status"),
            ("status", "PATCH") => PatchAsync(ctx, info, type, "status"),
            ("finalize", "PUT") => UpdateAsync(ctx, info, type, "finalize"),
            ("scale", "GET") => GetScaleAsync(ctx, info, type),
            ("scale", "PUT" or "PATCH") => UpdateScaleAsync(ctx, info, type),
            ("binding", "POST") => BindAsync(ctx, info, type),
            ("eviction", "POST") => EvictAsync(ctx, info, type),
            ("token", "POST") => TokenRequestAsync(ctx, info, type),
            ("log", "GET") => PodStreams(ctx).LogsAsync(ctx, RequirePod(type, info)),
            ("exec" or "attach", "GET" or "POST") => PodStreams(ctx).RemoteCommandAsync(ctx, RequirePod(type, info), attach: sub == "attach"),
            ("portforward", "GET" or "POST") => PodStreams(ctx).PortForwardAsync(ctx, RequirePod(type, info)),
            _ => throw ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {type.GroupResource}/{sub})"),
        };
    }

    private static Streams.PodStreamEndpoints PodStreams(HttpContext ctx) =>
        ctx.RequestServices.GetService(typeof(Streams.PodStreamEndpoints)) as Streams.PodStreamEndpoints
            ?? throw ApiError.Unavailable("pod streams need the agent hub, which this server does not run");

    private V1Pod RequirePod(ResourceType type, RequestInfo info) => (V1Pod)Require(type, info).Object;

    private Task GetScaleAsync(HttpContext ctx, RequestInfo info, ResourceType type) =>
        Responses.WriteAsync(ctx, 200, ToScale(Require(type, info).Object));

    private async Task UpdateScaleAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var opts = WriteOptions.From(ctx.Request, "update");
        var media = BodyDecoder.MediaType(ctx.Request.ContentType);
        var raw = await BodyDecoder.ReadAsync(ctx.Request, ctx.RequestAborted);
        var body = BodyDecoder.Parse(raw, ctx.Request.Method == "PUT" && media.Length == 0 ? "application/json" : media);
        var preconditioned = body["metadata"]?["resourceVersion"] is not null && ctx.Request.Method == "PUT";
        var stored = await UpdateObjectAsync(type, info, current =>
        {
            var scaleNode = JsonSerializer.SerializeToNode(ToScale(current.Object), KubeJson.Options)!;
            JsonNode? result;
            try
            {
                result = ctx.Request.Method == "PUT" ? body : media switch
                {
                    "application/json-patch+json" => JsonPatch.Apply(scaleNode, body),
                    "application/merge-patch+json" => JsonMergePatch.Apply(scaleNode, body),
                    "application/strategic-merge-patch+json" => StrategicMergePatch.Apply(scaleNode, body, typeof(V1Scale)),
                    _ => throw ApiError.UnsupportedMediaType(media),
                };
            }
            catch (PatchException e)
            {
                throw ManagedFieldsTracker.PatchError(e);
            }

            var scale = result.Deserialize<V1Scale>(KubeJson.Options) ?? throw ApiError.BadRequest("invalid Scale");
            if (scale.Spec?.Replicas is not { } replicas || replicas < 0)
            {
                throw new ApiError(422, "Invalid", $"Scale.autoscaling \"{info.Name}\" is invalid: spec.replicas: Invalid value: {scale.Spec?.Replicas}: must be greater than or equal to 0",
                    new V1StatusDetails { Name = info.Name, Group = "autoscaling", Kind = "Scale", Causes = [new() { Reason = "FieldValueInvalid", Field = "spec.replicas", Message = "Invalid value: must be greater than or equal to 0" }] });
            }

            var copy = Codec.Copy(current);
            SetReplicas(copy, replicas);
            copy.Metadata.ResourceVersion = scale.Metadata?.ResourceVersion;
            return copy;
        }, null, opts, preconditioned, ctx.RequestAborted);
        await Responses.WriteAsync(ctx, 200, ToScale(stored.Object));
    }

    private static V1Scale ToScale(IKubernetesObject<V1ObjectMeta> obj)
    {
        var (specReplicas, statusReplicas, selector) = obj switch
        {
            V1Deployment d => (d.Spec?.Replicas ?? 1, d.Status?.Replicas ?? 0, d.Spec?.Selector),
            V1ReplicaSet r => (r.Spec?.Replicas ?? 1, r.Status?.Replicas ?? 0, r.Spec?.Selector),
            V1StatefulSet s => (s.Spec?.Replicas ?? 1, s.Status?.Replicas ?? 0, s.Spec?.Selector),
            _ => throw ApiError.BadRequest("this kind has no scale subresource"),
        };
        return new V1Scale
        {
            ApiVersion = "autoscaling/v1",
            Kind = "Scale",
            Metadata = new V1ObjectMeta
            {
                Name = obj.Metadata.Name,
                NamespaceProperty = obj.Metadata.NamespaceProperty,
                Uid = obj.Metadata.Uid,
                ResourceVersion = obj.Metadata.ResourceVersion,
                CreationTimestamp = obj.Metadata.CreationTimestamp,
            },
            Spec = new V1ScaleSpec { Replicas = specReplicas },
            Status = new V1ScaleStatus { Replicas = statusReplicas, Selector = LabelSelector.FromApi(selector).ToString() },
        };
    }

    private static void SetReplicas(IKubernetesObject<V1ObjectMeta> obj, int replicas)
    {
        switch (obj)
        {
            case V1Deployment d:
                d.Spec.Replicas = replicas;
                break;
            case V1ReplicaSet r:
                r.Spec.Replicas = replicas;
                break;
            case V1StatefulSet s:
                s.Spec.Replicas = replicas;
                break;
        }
    }

    /// <summary>POST pods/{name}/binding: assigns the pod to a node once (the scheduler's write).</summary>
    private async Task BindAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var opts = WriteOptions.From(ctx.Request, "create");
        var (node, _, _) = await ObjectDecoder.ReadNodeAsync(ctx);
        var binding = node.Deserialize<V1Binding>(KubeJson.Options);
        if (binding?.Target?.Name is not { Length: > 0 } nodeName)
        {
            throw new ApiError(422, "Invalid", $"Binding \"{info.Name}\" is invalid: target.name: Required value",
                new V1StatusDetails { Name = info.Name, Kind = "Binding", Causes = [new() { Reason = "FieldValueRequired", Field = "target.name", Message = "Required value" }] });
        }

        await UpdateObjectAsync(type, info, current =>
        {
            var pod = (V1Pod)Codec.Copy(current);
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                throw ApiError.Conflict(type, info.Name!, $"pod {info.Name} is being deleted, cannot be assigned to a host");
            }

            if (!string.IsNullOrEmpty(pod.Spec.NodeName))
            {
                throw ApiError.Conflict(type, info.Name!, $"pod {info.Name} is already assigned to node \"{pod.Spec.NodeName}\"");
            }

            pod.Spec.NodeName = nodeName;
            pod.Status ??= new V1PodStatus();
            pod.Status.Conditions ??= [];
            var scheduled = pod.Status.Conditions.FirstOrDefault(c => c.Type == "PodScheduled");
            if (scheduled is null)
            {
                scheduled = new V1PodCondition { Type = "PodScheduled" };
                pod.Status.Conditions.Add(scheduled);
            }

            scheduled.Status = "True";
            scheduled.Reason = null;
            scheduled.Message = null;
            scheduled.LastTransitionTime = Now();
            return pod;
        }, "binding", opts, preconditioned: false, ctx.RequestAborted);
        await Responses.WriteAsync(ctx, 201, Responses.Success(info.Name!, "", "pods", null));
    }
}
