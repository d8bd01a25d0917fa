using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Streams.WebSockets;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Api.Streams;

/// <summary>
/// The streaming pod subresources: <c>log</c> (plain and followed), <c>exec</c> and <c>attach</c>
/// (WebSocket v5/v4, SPDY/3.1 fallback), <c>portforward</c> (SPDY/3.1 in a WebSocket, or raw).
/// Each validates against the pod, then relays through the node's agent (<see cref="AgentStreamBroker"/>).
/// Split: <c>.RemoteCommand</c> (exec and attach), <c>.PortForward</c>.
/// </summary>
internal sealed partial class PodStreamEndpoints(AgentStreamBroker broker, ILogger<PodStreamEndpoints> log)
{
    /// <summary>GET pods/{name}/log.</summary>
    public async Task LogsAsync(HttpContext ctx, V1Pod pod)
    {
        var q = ctx.Request.Query;
        var container = ResolveContainer(pod, q["container"]);
        var options = new PodLogRequest(
            Follow: IsTrue(q["follow"]),
            Previous: IsTrue(q["previous"]),
            TailLines: Long(q, "tailLines", min: 0),
            SinceSeconds: Long(q, "sinceSeconds", min: 1),
            SinceTime: q["sinceTime"].ToString() is { Length: > 0 } since
                ? DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : throw ApiError.BadRequest($"invalid sinceTime \"{since}\"")
                : null,
            Timestamps: IsTrue(q["timestamps"]),
            LimitBytes: Long(q, "limitBytes", min: 1));
        if (options.SinceSeconds is not null && options.SinceTime is not null)
        {
            throw ApiError.BadRequest("at most one of sinceTime or sinceSeconds may be specified");
        }

        var node = RequireNode(pod);
        var stream = await broker.OpenAsync(node, (id, window) => Request(id, window, PodStreamKind.Logs, pod, container) with { Logs = options }, ctx.RequestAborted);
        try
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.StartAsync(ctx.RequestAborted);
            while (await stream.ReadAsync(ctx.RequestAborted) is { } frame)
            {
                if (frame is { Type: StreamFrameType.Data, Data: { } data })
                {
                    await ctx.Response.Body.WriteAsync(data, ctx.RequestAborted);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                }
                else if (frame.Type == StreamFrameType.Error)
                {
                    // The body has started: the client sees the log end early.
                    LogStreamFailed(pod.Metadata.Name, frame.Text ?? "");
                }
            }
        }
        finally
        {
            stream.Close();
        }
    }

    private static PodStreamRequest Request(string id, int window, PodStreamKind kind, V1Pod pod, string? container) =>
        new(id, kind, pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name, pod.Metadata.Uid, container, window);

    /// <summary>The container a request names, or the pod's only container; as the API server words it otherwise.</summary>
    private static string ResolveContainer(V1Pod pod, string? requested)
    {
        var containers = (pod.Spec.Containers ?? []).Select(c => c.Name).ToList();
        var init = (pod.Spec.InitContainers ?? []).Select(c => c.Name).ToList();
        var ephemeral = (pod.Spec.EphemeralContainers ?? []).Select(c => c.Name).ToList();
        if (string.IsNullOrEmpty(requested))
        {
            if (containers.Count == 1)
            {
                return containers[0];
            }

            var message = $"a container name must be specified for pod {pod.Metadata.Name}, choose one of: [{string.Join(' ', containers)}]";
            if (init.Count > 0)
            {
                message += $" or one of the init containers: [{string.Join(' ', init)}]";
            }

            throw ApiError.BadRequest(message);
        }

        return containers.Contains(requested) || init.Contains(requested) || ephemeral.Contains(requested)
            ? requested
            : throw ApiError.BadRequest($"container {requested} is not valid for pod {pod.Metadata.Name}");
    }

    private static string RequireNode(V1Pod pod) =>
        pod.Spec.NodeName is { Length: > 0 } node ? node : throw ApiError.BadRequest($"pod {pod.Metadata.Name} does not have a host assigned");

    private static void RequireNotCompleted(V1Pod pod, string action)
    {
        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            throw ApiError.BadRequest($"cannot {action} a container in a completed pod; current phase is {pod.Status.Phase}");
        }
    }

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";

    private static long? Long(IQueryCollection q, string name, long min)
    {
        var raw = q[name].ToString();
        if (raw.Length == 0)
        {
            return null;
        }

        return long.TryParse(raw, out var v) && v >= min ? v : throw ApiError.BadRequest($"invalid {name} \"{raw}\": must be an integer >= {min}");
    }

    [LoggerMessage(LogLevel.Information, "Log stream of pod {Pod} ended with an error: {Reason}")]
    private partial void LogStreamFailed(string pod, string reason);

    [LoggerMessage(LogLevel.Debug, "Stream for pod {Pod} ended: {Reason}")]
    private partial void LogStreamEnded(string pod, string reason);
}
