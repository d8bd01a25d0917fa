using System.Collections.Concurrent;
using k8s.Models;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// The kubelet's token manager: service account tokens for projected serviceAccountToken volumes,
/// requested from the server per pod, audience and lifetime, and reused until 80% of their
/// lifetime has passed (then the next volume sync fetches a fresh one).
/// </summary>
internal sealed class PodTokens(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Uid, string Audience, long Seconds), (string Token, DateTimeOffset Issued, DateTimeOffset Expires)> _tokens = new();

    public async Task<string> GetAsync(IPodObjectSource source, V1Pod pod, string? audience, long seconds, CancellationToken ct)
    {
        var key = (pod.Metadata.Uid, audience ?? "", seconds);
        var now = time.GetUtcNow();
        if (_tokens.TryGetValue(key, out var cached) && now < cached.Issued + ((cached.Expires - cached.Issued) * 0.8))
        {
            return cached.Token;
        }

        var (token, expires) = await source.RequestTokenAsync(pod, audience, seconds, ct);
        _tokens[key] = (token, now, expires);
        return token;
    }

    public void Forget(string podUid)
    {
        foreach (var key in _tokens.Keys.Where(k => k.Uid == podUid))
        {
            _tokens.TryRemove(key, out _);
        }
    }
}
