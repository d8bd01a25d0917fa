using System.Security.Claims;
using KubeWeb.Web.Access;
using KubeWeb.Web.Hosting;
using KubeWeb.Web.State;
using Microsoft.AspNetCore.Components.Authorization;

namespace KubeWeb.E2E.Console;

/// <summary>
/// The console's access checks against the real API: a SelfSubjectAccessReview round trip as the
/// signed-in user's token, and an invalid token answering "unknown" (action left to the API) rather
/// than a wrong "denied".
/// </summary>
[Trait("Category", "E2E")]
public sealed class ConsoleAccessReviewTests(ConsoleFixture fx) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task Review_AsTheAdmin_IsAllowed_AndCachedPerQuestion()
    {
        using var session = Session(fx.Server.AdminToken);
        var checker = new ReviewAccessChecker(session, TimeProvider.System);
        var scale = new AccessRequest("patch", "apps", "deployments", "scale", "default");

        var first = await checker.CheckAsync(scale, CancellationToken.None);
        var again = await checker.CheckAsync(scale, CancellationToken.None);

        Assert.True(first.Allowed);
        Assert.True(first.Known);
        Assert.Same(first, again);
        Assert.True((await checker.CheckAsync(new AccessRequest("create", "", "pods", "exec", "default"), CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task Review_WithARejectedToken_IsUnknown_AndNotCached()
    {
        using var session = Session("not-a-token");
        var checker = new ReviewAccessChecker(session, TimeProvider.System);
        var delete = new AccessRequest("delete", "", "pods", null, "default");

        var answer = await checker.CheckAsync(delete, CancellationToken.None);
        var again = await checker.CheckAsync(delete, CancellationToken.None);

        Assert.False(answer.Known);
        Assert.True(answer.Allowed);
        Assert.Contains("Not signed in", answer.Explanation, StringComparison.Ordinal);
        Assert.NotSame(answer, again);
    }

    private ConsoleSession Session(string token) =>
        new(new TokenState(token), fx.Server.Services, TimeProvider.System);

    private sealed class TokenState(string token) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim(SignInEndpoints.TokenClaim, token)], "test"))));
    }
}
