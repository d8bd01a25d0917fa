using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using KubeWeb.Web.Api;
using KubeWeb.Web.State;

namespace KubeWeb.Web.Access;

/// <summary>
/// Asks the API with a <c>SelfSubjectAccessReview</c> (authorization.k8s.io/v1) as the signed-in
/// user and keeps each answer for <see cref="Ttl"/>, so a page of rows with actions costs one review
/// per distinct question. Concurrent asks of the same question share one review. A review that
/// fails (API down) is not cached and answers "unknown", which leaves the action enabled.
/// </summary>
internal sealed class ReviewAccessChecker(ConsoleSession session, TimeProvider time) : IAccessChecker
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<AccessRequest, (DateTimeOffset At, Task<AccessAnswer> Answer)> _cache = new();

    public async Task<AccessAnswer> CheckAsync(AccessRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(request, out var hit) && now - hit.At < Ttl && !hit.Answer.IsFaulted)
        {
            return await hit.Answer.WaitAsync(ct);
        }

        var task = ReviewAsync(request);
        _cache[request] = (now, task);
        var answer = await task.WaitAsync(ct);
        if (!answer.Known)
        {
            _cache.TryRemove(new KeyValuePair<AccessRequest, (DateTimeOffset, Task<AccessAnswer>)>(request, (now, task)));
        }

        return answer;
    }

    private async Task<AccessAnswer> ReviewAsync(AccessRequest request)
    {
        try
        {
            var api = await session.GetApiAsync();
            var review = await api.Client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
            {
                ApiVersion = "authorization.k8s.io/v1",
                Kind = "SelfSubjectAccessReview",
                Spec = new V1SelfSubjectAccessReviewSpec
                {
                    ResourceAttributes = new V1ResourceAttributes
                    {
                        Verb = request.Verb,
                        Group = request.Group,
                        Resource = request.Resource,
                        Subresource = request.Subresource,
                        NamespaceProperty = request.Namespace,
                        Name = request.Name,
                    },
                },
            });
            return review.Status?.Allowed == true ? AccessAnswer.Allow(request) : AccessAnswer.Deny(request, review.Status?.Reason);
        }
        catch (Exception e)
        {
            return AccessAnswer.Unknown(request, ApiErrors.Describe(e).Title);
        }
    }
}
