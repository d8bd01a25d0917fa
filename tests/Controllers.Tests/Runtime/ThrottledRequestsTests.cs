using System.Net;
using System.Net.Http.Headers;
using k8s;
using k8s.Models;
using KubeWeb.Controllers.GarbageCollection;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeWeb.Controllers.Tests.Runtime;

/// <summary>
/// Informers and the garbage collector against the real API, with the first requests of one kind
/// answered 429 + Retry-After as the API's in-flight limit answers them (a handler in the client's
/// pipeline stands in for a saturated server): the work goes through instead of failing.
/// </summary>
public sealed class ThrottledRequestsTests(BareServerFixture fixture) : IClassFixture<BareServerFixture>
{
    [Fact]
    public async Task List_IsSentAgainAfterRetryAfter()
    {
        var ns = await ApiObjects.NamespaceAsync(fixture.Client, "throttle-");
        await fixture.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "listed" } }, ns);
        var throttle = new ThrottleHandler(HttpMethod.Get, $"/namespaces/{ns}/configmaps", 3);
        using var client = ThrottledClient(throttle);
        var resources = new ResourceClient(client);

        var page = await resources.ListAsync<V1ConfigMap>(ConfigMaps, ns, null, null, null, 0, null, CancellationToken.None);

        Assert.Contains(page.Items, c => c.Metadata.Name == "listed");
        Assert.Equal(3, throttle.Throttled);
        Assert.Equal(3, resources.ThrottledRetries);
    }

    [Fact]
    public async Task Request_GivesUpAfterMaxAttempts_WithTheApisStatus()
    {
        var ns = await ApiObjects.NamespaceAsync(fixture.Client, "throttle-");
        var throttle = new ThrottleHandler(HttpMethod.Get, $"/namespaces/{ns}/configmaps", int.MaxValue);
        using var client = ThrottledClient(throttle);
        var resources = new ResourceClient(client, new ImmediateTime());

        var e = await Assert.ThrowsAsync<ApiStatusException>(() =>
            resources.ListAsync<V1ConfigMap>(ConfigMaps, ns, null, null, null, 0, null, CancellationToken.None));

        Assert.Equal(429, e.Code);
        Assert.Equal(ResourceClient.MaxAttempts, throttle.Throttled);
    }

    [Fact]
    public async Task Informer_SyncsThroughThrottledListsAndWatches()
    {
        var ns = await ApiObjects.NamespaceAsync(fixture.Client, "throttle-");
        await fixture.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "before" } }, ns);
        var throttle = new ThrottleHandler(HttpMethod.Get, $"/namespaces/{ns}/configmaps", 4);
        using var client = ThrottledClient(throttle);
        var resources = new ResourceClient(client);
        var informer = new Informer<V1ConfigMap>(resources, ConfigMaps, TimeProvider.System, NullLogger.Instance, ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = informer.RunAsync(cts.Token);

        await informer.WaitForSyncAsync(cts.Token);
        await fixture.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "after" } }, ns);
        while (informer.Get(ns, "after") is null)
        {
            await Task.Delay(20, cts.Token);
        }

        Assert.NotNull(informer.Get(ns, "before"));
        Assert.Equal(4, throttle.Throttled);
        Assert.Equal(4, resources.ThrottledRetries);
        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task GarbageCollector_DeletesADanglingDependentThroughThrottledDeletes()
    {
        var ns = await ApiObjects.NamespaceAsync(fixture.Client, "throttle-");
        await fixture.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "orphan",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "gone", Uid = Guid.NewGuid().ToString() }],
            },
        }, ns);
        var throttle = new ThrottleHandler(HttpMethod.Delete, $"/namespaces/{ns}/configmaps/orphan", 2);
        using var client = ThrottledClient(throttle);
        var informers = new InformerFactory(new ResourceClient(client), ResourceRegistry.Default, TimeProvider.System, NullLoggerFactory.Instance);
        var gc = new GarbageCollector(informers, ResourceRegistry.Default, TimeProvider.System, NullLogger<GarbageCollector>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        informers.Start(cts.Token);
        var configMaps = informers.For<V1ConfigMap>();
        while (configMaps.Get(ns, "orphan") is null)
        {
            await Task.Delay(20, cts.Token);
        }

        // One reconcile of the dependent: its DELETE is refused twice and still goes through.
        await gc.ReconcileAsync($"d|configmaps|{ns}/orphan", cts.Token);

        var list = await fixture.Client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: cts.Token);
        Assert.DoesNotContain(list.Items, c => c.Metadata.Name == "orphan");
        Assert.Equal(2, throttle.Throttled);
        await cts.CancelAsync();
    }

    private static ResourceType ConfigMaps => ResourceRegistry.Default.Find("", "v1", "configmaps")!;

    private Kubernetes ThrottledClient(ThrottleHandler throttle) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(fixture.Server.KubeconfigPath), throttle);

    /// <summary>Answers the first <paramref name="count"/> matching requests as the API's in-flight limit does.</summary>
    private sealed class ThrottleHandler(HttpMethod method, string pathSuffix, int count) : DelegatingHandler
    {
        private int _seen;
        private int _throttled;

        public int Throttled => Volatile.Read(ref _throttled);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (request.Method == method && request.RequestUri!.AbsolutePath.EndsWith(pathSuffix, StringComparison.Ordinal) &&
                Interlocked.Increment(ref _seen) <= count)
            {
                Interlocked.Increment(ref _throttled);
                var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
                {
                    RequestMessage = request,
                    Content = new StringContent("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","code":429}"""),
                };
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.Zero);
                return response;
            }

            return await base.SendAsync(request, ct);
        }
    }

    /// <summary>Time in which every delay has already passed: the give-up test does not wait out its back-off.</summary>
    private sealed class ImmediateTime : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            TimeProvider.System.CreateTimer(callback, state, TimeSpan.Zero, period);
    }
}
