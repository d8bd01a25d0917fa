using System.Security.Cryptography;
using System.Text;
using KubeWeb.Api.Agents;
using KubeWeb.Api.Http;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Security;

/// <summary>
/// Bearer-token authentication for the Kubernetes paths: the admin token, or a service account JWT
/// (<see cref="ServiceAccountTokens"/>; the caller's <see cref="ServiceAccountUser"/> is kept in
/// <see cref="UserKey"/>). Until RBAC arrives with tenancy every authenticated caller may do
/// everything; health and version endpoints stay public as in kube-apiserver.
/// </summary>
public sealed class TokenAuthentication(RequestDelegate next, ApiServerOptions options, AgentHubOptions agents, ServiceAccountTokens serviceAccounts)
{
    /// <summary>The <c>HttpContext.Items</c> key of the authenticated service account, absent for the admin token.</summary>
    public const string UserKey = "kubeweb.serviceaccount";

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

        var header = ctx.Request.Headers.Authorization.ToString();
        if (IsPublic(path) || IsAuthenticated(header))
        {
            return next(ctx);
        }

        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && ServiceAccountTokens.LooksLikeJwt(header["Bearer ".Length..].Trim())
            ? ServiceAccountAsync(ctx, header["Bearer ".Length..].Trim())
            : Responses.WriteStatusAsync(ctx, new ApiError(401, "Unauthorized", "Unauthorized"));
    }

    private async Task ServiceAccountAsync(HttpContext ctx, string token)
    {
        if (await serviceAccounts.AuthenticateAsync(token) is not { } user)
        {
            await Responses.WriteStatusAsync(ctx, new ApiError(401, "Unauthorized", "Unauthorized"));
            return;
        }

        ctx.Items[UserKey] = user;
        await next(ctx);
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
