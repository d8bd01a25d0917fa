using System.Security.Cryptography;
using System.Text;
using KubeWeb.Api.Agents;
using KubeWeb.Api.Http;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Security;

/// <summary>
/// Bearer-token authentication for the Kubernetes paths. Today one admin token may do everything
/// (RBAC arrives with tenancy); health and version endpoints stay public as in kube-apiserver.
/// </summary>
public sealed class TokenAuthentication(RequestDelegate next, ApiServerOptions options, AgentHubOptions agents)
{
    private readonly byte[] _admin = Encoding.UTF8.GetBytes(options.AdminToken);
    private readonly byte[] _node = Encoding.UTF8.GetBytes(agents.NodeToken);

    public Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (path.StartsWith(AgentHubProtocol.Path, StringComparison.Ordinal))
        {
            // The agent hub takes the node join token, and only that.
            return IsBearer(ctx.Request.Headers.Authorization.ToString(), _node)
                ? next(ctx)
                : Responses.WriteStatusAsync(ctx, new ApiError(401, "Unauthorized", "Unauthorized"));
        }

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

    private bool IsAuthenticated(string header) => IsBearer(header, _admin);

    private static bool IsBearer(string header, byte[] expected)
    {
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || expected.Length == 0)
        {
            return false;
        }

        var token = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(token, expected);
    }
}
