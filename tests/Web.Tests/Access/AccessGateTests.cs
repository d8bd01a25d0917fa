using Bunit;
using KubeWeb.Web.Access;
using KubeWeb.Web.Api;
using KubeWeb.Web.Components.Controls;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace KubeWeb.Web.Tests.Access;

public sealed class AccessGateTests : IAsyncLifetime
{
    // Generous: the machine may be busy, and the answers arrive on other threads.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly BunitContext _ctx = new();
    private readonly FakeAccessChecker _access = new();
    private readonly ConsoleKind _deployments = ConsoleKinds.ByPlural("deployments")!;

    public AccessGateTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton<IAccessChecker>(_access);
    }

    [Fact]
    public void DeniedDelete_DisablesTheButton_AndNamesTheMissingPermission()
    {
        _access.Denied.Add(("delete", "deployments", null));
        _ctx.Render<MudBlazor.MudPopoverProvider>();

        var actions = _ctx.Render<ResourceActions>(p => p.Add(a => a.Kind, _deployments).Add(a => a.Namespace, "shop").Add(a => a.Name, "web"));

        actions.WaitForAssertion(() => Assert.True(actions.Find("button.kw-delete").HasAttribute("disabled")), Wait);
        Assert.False(actions.Find("button.kw-scale").HasAttribute("disabled"));
        Assert.Equal("delete deployments.apps in namespace \"shop\"", actions.Find("[data-denied]").GetAttribute("data-denied"));
        Assert.Contains(_access.Asked, r => r is { Verb: "patch", Resource: "deployments", Subresource: "scale", Group: "apps", Namespace: "shop" });
    }

    [Fact]
    public void Allowed_RendersTheActionEnabled()
    {
        var actions = _ctx.Render<ResourceActions>(p => p.Add(a => a.Kind, _deployments).Add(a => a.Namespace, "shop").Add(a => a.Name, "web"));

        actions.WaitForAssertion(() => Assert.False(actions.Find("button.kw-delete").HasAttribute("disabled")), Wait);
        Assert.Empty(actions.FindAll("[data-denied]"));
    }

    [Fact]
    public void ClusterScopedKinds_AreAskedWithoutNamespace()
    {
        var nodes = ConsoleKinds.ByPlural("nodes")!;
        var gate = _ctx.Render<AccessGate>(p => p.Add(g => g.Verb, "patch").Add(g => g.Kind, nodes).Add(g => g.Namespace, "default")
            .Add(g => g.ChildContent, (AccessAnswer a) => b => b.AddContent(0, a.Allowed ? "yes" : "no")));

        gate.WaitForAssertion(() => Assert.Equal("yes", gate.Markup.Trim()), Wait);
        Assert.Null(_access.Asked.Single().Namespace);
    }

    [Fact]
    public void Explanation_ReadsLikeKubectlAuthCanI()
    {
        var answer = AccessAnswer.Deny(new AccessRequest("create", "", "pods", "exec", "team-a"), "no RoleBinding grants it.");

        Assert.Equal("You need permission to create pods/exec in namespace \"team-a\" (no RoleBinding grants it).", answer.Explanation);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();
}
