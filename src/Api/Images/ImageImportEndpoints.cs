using System.Text;
using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using KubeWeb.Api.Streams;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KubeWeb.Api.Images;

/// <summary>
/// <c>POST /apis/images.kubeweb.io/v1alpha1/nodes/NODE/import?fileName=F&amp;baseName=REPO</c> with an
/// OCI or Docker image archive as the body: streams it to the node's agent over its hub connection
/// (flow-controlled frames, see <see cref="AgentStreamProtocol"/>), which imports it into its
/// containerd. Answers a <c>Status</c>: Success with the import's output, or the failure. Only the
/// admin token reaches it (as every API path today); node tokens cannot.
/// </summary>
public static class ImageImportEndpoints
{
    public const string Group = "images.kubeweb.io";
    public const string Version = "v1alpha1";

    public static IEndpointRouteBuilder MapImageImport(this IEndpointRouteBuilder app)
    {
        app.MapPost($"/apis/{Group}/{Version}/nodes/{{node}}/import", (HttpContext ctx, string node, ObjectStore store, AgentStreamBroker broker) => ImportAsync(ctx, node, store, broker));
        return app;
    }

    private static async Task ImportAsync(HttpContext ctx, string node, ObjectStore store, AgentStreamBroker broker)
    {
        try
        {
            if (store.Get("nodes", "", node) is null)
            {
                throw new ApiError(404, "NotFound", $"nodes \"{node}\" not found", new V1StatusDetails { Name = node, Kind = "nodes" });
            }

            var fileName = ctx.Request.Query["fileName"].ToString() is { Length: > 0 } f ? Path.GetFileName(f) : "archive.tar";
            var baseName = ctx.Request.Query["baseName"].ToString() is { Length: > 0 } b ? b : null;
            if (baseName is not null && (baseName.Any(char.IsWhiteSpace) || baseName.StartsWith('-')))
            {
                throw ApiError.BadRequest($"baseName \"{baseName}\" is not an image repository");
            }

            var ct = ctx.RequestAborted;
            var stream = await broker.OpenAsync(node, (id, window) =>
                new PodStreamRequest(id, PodStreamKind.ImageImport, "", "", "", null, window, Image: new ImageImportRequest(fileName, baseName)), ct);
            try
            {
                var result = CollectAsync(stream, ct);
                var buffer = new byte[64 * 1024];
                try
                {
                    int n;
                    while ((n = await ctx.Request.Body.ReadAsync(buffer, ct)) > 0 && !result.IsCompleted)
                    {
                        await stream.SendDataAsync(AgentStreamProtocol.Stdin, buffer.AsMemory(0, n), ct);
                    }

                    stream.Send(new StreamFrame(StreamFrameType.Close, AgentStreamProtocol.Stdin));
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // The agent ended the stream early (a failure): its last frames say why.
                }

                var (code, output) = await result;
                if (code != 0)
                {
                    throw new ApiError(500, "InternalError", $"importing {fileName} on node \"{node}\" failed: {output.Trim()}");
                }

                await Responses.WriteAsync(ctx, 200, new V1Status
                {
                    ApiVersion = "v1",
                    Kind = "Status",
                    Metadata = new V1ListMeta(),
                    Status = "Success",
                    Message = output,
                    Details = new V1StatusDetails { Name = node, Group = Group, Kind = "nodes" },
                });
            }
            finally
            {
                stream.Close();
            }
        }
        catch (ApiError e)
        {
            if (!ctx.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(ctx, e);
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
        }
    }

    /// <summary>The agent's output until its Exit (or Error, or the end of the stream).</summary>
    private static async Task<(int Code, string Output)> CollectAsync(AgentStream stream, CancellationToken ct)
    {
        var output = new StringBuilder();
        while (await stream.ReadAsync(ct) is { } frame)
        {
            switch (frame.Type)
            {
                case StreamFrameType.Data when frame.Data is { } data:
                    output.Append(Encoding.UTF8.GetString(data));
                    break;
                case StreamFrameType.Exit:
                    return (frame.Value, output.ToString());
                case StreamFrameType.Error:
                    return (frame.Value == 0 ? 500 : frame.Value, output.Append(frame.Text).ToString());
            }
        }

        return (500, output.Append("the node ended the upload without a result").ToString());
    }
}
