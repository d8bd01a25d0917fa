using k8s.Models;
using KubeWeb.Agent.Runtime;
using KubeWeb.Agent.Runtime.Containerd;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Agent.Tests.Runtime;

public class PodTokensTests
{
    [Fact]
    public async Task GetAsync_ReusesATokenUntil80PercentOfItsLifetime_ThenRequestsANewOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var source = new CountingSource(time);
        var tokens = new PodTokens(time);
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns", Uid = "u1" } };

        Assert.Equal("token-1", await tokens.GetAsync(source, pod, null, 3600, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(2879));
        Assert.Equal("token-1", await tokens.GetAsync(source, pod, null, 3600, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("token-2", await tokens.GetAsync(source, pod, null, 3600, CancellationToken.None));

        // Another audience is another token; a forgotten pod starts over.
        Assert.Equal("token-3", await tokens.GetAsync(source, pod, "vault", 3600, CancellationToken.None));
        tokens.Forget("u1");
        Assert.Equal("token-4", await tokens.GetAsync(source, pod, null, 3600, CancellationToken.None));
        Assert.Equal([null, null, "vault", null], source.Audiences);
    }

    private sealed class CountingSource(TimeProvider time) : IPodObjectSource
    {
        public List<string?> Audiences { get; } = [];

        public Task<(string Token, DateTimeOffset Expires)> RequestTokenAsync(V1Pod pod, string? audience, long expirationSeconds, CancellationToken ct)
        {
            Audiences.Add(audience);
            return Task.FromResult(($"token-{Audiences.Count}", time.GetUtcNow().AddSeconds(expirationSeconds)));
        }

        public Task<V1ConfigMap?> GetConfigMapAsync(V1Pod pod, string name, CancellationToken ct) => throw new NotSupportedException();

        public Task<V1Secret?> GetSecretAsync(V1Pod pod, string name, CancellationToken ct) => throw new NotSupportedException();

        public Task<V1PersistentVolumeClaim?> GetPersistentVolumeClaimAsync(V1Pod pod, string name, CancellationToken ct) => throw new NotSupportedException();

        public Task<V1PersistentVolume?> GetPersistentVolumeAsync(V1Pod pod, string name, CancellationToken ct) => throw new NotSupportedException();
    }
}
