using KubeWeb.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Api.Http;

/// <summary>
/// The last line of defence at the API edge: caps requests in flight (kube-apiserver's
/// <c>--max-requests-inflight</c> / <c>--max-mutating-requests-inflight</c>, answered with 429 and
/// Retry-After), and turns any unexpected exception into an InternalError <c>Status</c> instead of
/// a bare 500 page. Long-running requests (watches, WebSocket upgrades such as the agent hub's
/// connections, which last as long as the node is up) are not counted, as kube-apiserver exempts
/// its long-running requests: otherwise 400 connected nodes would leave no room for any read.
/// </summary>
public sealed partial class RequestLimits(RequestDelegate next, ILogger<RequestLimits> log)
{
    public const int MaxReadsInFlight = 400;
    public const int MaxMutationsInFlight = 200;

    private int _reads;
    private int _mutations;

    public async Task InvokeAsync(HttpContext ctx)
    {
        var isWatch = ctx.Request.Query["watch"] is var w && (w == "true" || w == "1");
        var mutating = ctx.Request.Method is not ("GET" or "HEAD" or "OPTIONS");
        ref var counter = ref mutating ? ref _mutations : ref _reads;
        var limit = mutating ? MaxMutationsInFlight : MaxReadsInFlight;
        // The WebSockets feature is only added later, by the hub's own pipeline: read the handshake itself.
        var upgrade = ctx.Request.Headers.Upgrade.Count > 0 || HttpMethods.IsConnect(ctx.Request.Method);
        var counted = !isWatch && !upgrade;
        if (counted && Interlocked.Increment(ref counter) > limit)
        {
            Interlocked.Decrement(ref counter);
            ctx.Response.Headers.RetryAfter = "1";
            await Responses.WriteStatusAsync(ctx, new ApiError(429, "TooManyRequests", "Too many requests, please try again later.",
                new k8s.Models.V1StatusDetails { RetryAfterSeconds = 1 }));
            return;
        }

        try
        {
            await next(ctx);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ctx.RequestAborted.IsCancellationRequested)
        {
            LogUnhandled(e, ctx.Request.Method, ctx.Request.Path);
            if (!ctx.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(ctx, new ApiError(500, "InternalError", $"Internal error occurred: {e.Message}"));
            }
        }
        finally
        {
            if (counted)
            {
                if (mutating)
                {
                    Interlocked.Decrement(ref _mutations);
                }
                else
                {
                    Interlocked.Decrement(ref _reads);
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "Unhandled error serving {Method} {Path}")]
    private partial void LogUnhandled(Exception e, string method, string path);
}
