using System.Text.Json;
using System.Text.Json.Nodes;
using KubeWeb.Api.Agents;
using KubeWeb.Api.Discovery;
using KubeWeb.Api.Http;
using KubeWeb.Api.Images;
using KubeWeb.Api.Metrics;
using KubeWeb.Api.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Api;

/// <summary>Maps the Kubernetes REST surface: discovery, OpenAPI, version/health and every resource path.</summary>
public static class ApiEndpoints
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public static IEndpointRouteBuilder MapKubeWebApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api", (HttpContext ctx, DiscoveryDocuments d, ApiServerOptions o) =>
            Aggregated(ctx, d, core: true) ?? Json(ctx, DiscoveryDocuments.ApiVersions(o.AdvertiseAddress)));
        app.MapGet("/apis", (HttpContext ctx, DiscoveryDocuments d) => Aggregated(ctx, d, core: false) ?? Json(ctx, d.GroupList()));
        app.MapGet("/api/v1", (HttpContext ctx, DiscoveryDocuments d) => JsonOr404(ctx, d.ResourceList("", "v1")));
        app.MapGet("/apis/{group}", (HttpContext ctx, string group, DiscoveryDocuments d) => JsonOr404(ctx, d.Group(group)));
        app.MapGet("/apis/{group}/{version}", (HttpContext ctx, string group, string version, DiscoveryDocuments d) =>
            JsonOr404(ctx, d.ResourceList(group, version)));

        app.MapMetricsApi();
        app.MapImageImport();
        app.MapMethods("/api/v1/{**rest}", Methods, (HttpContext ctx, string? rest, ResourceHandler h) => h.HandleAsync(ctx, "", "v1", rest));
        app.MapMethods("/apis/{group}/{version}/{**rest}", Methods, (HttpContext ctx, string group, string version, string? rest, ResourceHandler h) =>
            h.HandleAsync(ctx, group, version, rest));

        app.MapGet("/openapi/v3", (HttpContext ctx, OpenApiDocuments d) => Responses.WriteRawAsync(ctx, 200, d.Index()));
        app.MapGet("/openapi/v3/{**path}", (HttpContext ctx, string path, OpenApiDocuments d) =>
            d.GroupVersion(path) is { } doc ? Responses.WriteRawAsync(ctx, 200, doc) : NotFound(ctx));
        app.MapGet("/openapi/v2", (HttpContext ctx, OpenApiDocuments d) =>
            ctx.Request.Headers.Accept.ToString() is var accept && (accept.Length == 0 || accept.Contains("json", StringComparison.Ordinal) || accept.Contains("*/*", StringComparison.Ordinal))
                ? Responses.WriteRawAsync(ctx, 200, d.V2)
                : NotFound(ctx));

        app.MapGet("/version", (HttpContext ctx) => Json(ctx, new JsonObject
        {
            ["major"] = ApiServerOptions.Major,
            ["minor"] = ApiServerOptions.Minor,
            ["gitVersion"] = ApiServerOptions.GitVersion,
            ["gitCommit"] = "kubeweb",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2026-01-01T00:00:00Z",
            ["goVersion"] = "dotnet" + Environment.Version,
            ["compiler"] = "dotnet",
            ["platform"] = $"{(OperatingSystem.IsLinux() ? "linux" : "other")}/{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant().Replace("x64", "amd64", StringComparison.Ordinal)}",
        }));
        foreach (var path in new[] { "/healthz", "/livez", "/readyz" })
        {
            app.MapGet(path, (HttpContext ctx, ApiReadiness r) => r.IsReady
                ? Plain(ctx, 200, "ok")
                : Plain(ctx, 500, "[-]store failed: not ready\nhealthz check failed"));
        }

        app.MapAgentHub();
        return app;
    }

    private static Task? Aggregated(HttpContext ctx, DiscoveryDocuments d, bool core)
    {
        var accept = ctx.Request.Headers.Accept.ToString();
        foreach (var version in new[] { "v2", "v2beta1" })
        {
            if (accept.Contains($"v={version};as=APIGroupDiscoveryList", StringComparison.Ordinal) ||
                accept.Contains($"as=APIGroupDiscoveryList;v={version}", StringComparison.Ordinal))
            {
                var doc = d.Aggregated(core, $"apidiscovery.k8s.io/{version}");
                return Responses.WriteRawAsync(ctx, 200, JsonSerializer.SerializeToUtf8Bytes(doc),
                    $"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList");
            }
        }

        return null;
    }

    private static Task Json(HttpContext ctx, JsonNode node) => Responses.WriteRawAsync(ctx, 200, JsonSerializer.SerializeToUtf8Bytes(node));

    private static Task JsonOr404(HttpContext ctx, JsonNode? node) => node is null ? NotFound(ctx) : Json(ctx, node);

    private static Task NotFound(HttpContext ctx) =>
        Responses.WriteStatusAsync(ctx, new ApiError(404, "NotFound", "the server could not find the requested resource"));

    private static async Task Plain(HttpContext ctx, int code, string text)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.WriteAsync(text, ctx.RequestAborted);
    }
}

/// <summary>Set once the store has loaded and the default namespaces exist.</summary>
public sealed class ApiReadiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}
