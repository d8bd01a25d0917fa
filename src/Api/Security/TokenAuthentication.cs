using System.Security.Cryptography;
using System.Text;
using KubeWeb.Api.Http;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Security;

/// <summary>
/// Bearer-token authentication for the Kubernetes paths. Today one admin token may do everything
/// (RBAC arrives with tenancy); health and version endpoints stay public as in kube-apiserver.
/// </summary>
public sealed class TokenAuthentication(RequestDelegate next, ApiServerOptions options)
{
    private readonly byte[] _admin = Encoding.UTF8.GetBytes(options.AdminToken);

    public Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (IsPublic(path) || IsAuthenticated(ctx.Request.Headers.Authorization.ToString()))
        {
            return next(ctx);
        }

        return Responses.WriteStatusAsync(ctx, new ApiError(401, "Unauthorized", "Unauthorized"));
    }

    private static bool IsPublic(string path) =>
        path is "/healthz" or "/livez" or "/readyz" or "/version" or "/version/" ||
        path.StartsWith("/healthz/", StringComparison.Ordinal) || path.StartsWith("/livez/", StringComparison.Ordinal) ||
        path.StartsWith("/readyz/", StringComparison.Ordinal) ||
        !(path.StartsWith("/api", StringComparison.Ordinal) || path.StartsWith("/openapi", StringComparison.Ordinal) ||
          path.StartsWith("/hubs", StringComparison.Ordinal) || path.StartsWith("/metrics", StringComparison.Ordinal));

    private bool IsAuthenticated(string header)
    {
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || _admin.Length == 0)
        {
            return false;
        }

        var token = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(token, _admin);
    }
}
