using System.Security.Claims;
using KubeWeb.Web.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Web.Hosting;

/// <summary>
/// Sign-in and sign-out as plain form posts: the token is checked by calling the API with it,
/// then kept (encrypted by data protection) in the console's auth cookie.
/// </summary>
internal static class SignInEndpoints
{
    public const string TokenClaim = "kubeweb:token";

    public static void MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/console/signin", SignInAsync).DisableAntiforgery();
        app.MapPost("/console/signout", SignOutAsync).DisableAntiforgery();
    }

    private static async Task<IResult> SignInAsync(HttpContext ctx, IAntiforgery antiforgery, ApiEndpoint endpoint)
    {
        if (!await antiforgery.IsRequestValidAsync(ctx))
        {
            return Results.Redirect("/signin?error=expired");
        }

        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var token = form["token"].ToString().Trim();
        var returnUrl = LocalUrl(form["returnUrl"].ToString());
        if (token.Length == 0)
        {
            return Results.Redirect("/signin?error=empty" + ReturnQuery(returnUrl));
        }

        using (var client = endpoint.CreateClient(token))
        {
            try
            {
                await new ConsoleApi(client).VerifyAsync(ctx.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ctx.RequestAborted.IsCancellationRequested)
            {
                var problem = ApiErrors.Describe(e);
                var code = problem.Unreachable ? "unreachable" : problem.Code == 401 ? "invalid" : "failed";
                return Results.Redirect($"/signin?error={code}" + ReturnQuery(returnUrl));
            }
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "admin"), new Claim(TokenClaim, token)], CookieAuthenticationDefaults.AuthenticationScheme);
        await ctx.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect(returnUrl);
    }

    private static async Task<IResult> SignOutAsync(HttpContext ctx, IAntiforgery antiforgery)
    {
        if (await antiforgery.IsRequestValidAsync(ctx))
        {
            await ctx.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }

        return Results.Redirect("/signin");
    }

    private static string LocalUrl(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";

    private static string ReturnQuery(string returnUrl) => returnUrl == "/" ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl);
}
