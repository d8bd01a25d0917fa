using KubeWeb.Web.Access;

namespace KubeWeb.Web.Tests.Access;

/// <summary>Allows everything except the verbs/resources it is told to deny; records every question.</summary>
internal sealed class FakeAccessChecker : IAccessChecker
{
    public HashSet<(string Verb, string Resource, string? Subresource)> Denied { get; } = [];

    public List<AccessRequest> Asked { get; } = [];

    public Task<AccessAnswer> CheckAsync(AccessRequest request, CancellationToken ct)
    {
        lock (Asked)
        {
            Asked.Add(request);
        }

        return Task.FromResult(Denied.Contains((request.Verb, request.Resource, request.Subresource))
            ? AccessAnswer.Deny(request, "RBAC: no rule allows it")
            : AccessAnswer.Allow(request));
    }
}
