using k8s.Models;
using KubeWeb.Api.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeWeb.Api.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task EventTtl_DeletesEventsLastRecordedBeforeTheTtl_AndKeepsRepeatingOnes()
    {
        var options = NewOptions();
        options.EventTtl = TimeSpan.FromHours(1);
        var store = await StartStoreAsync(options);
        var sweeper = new EventTtlSweeper(store, options, Time, NullLogger<EventTtlSweeper>.Instance);
        var now = Time.GetUtcNow().UtcDateTime;

        await store.CreateAsync(EventTtlSweeper.Resource, Event("old", first: now.AddHours(-3), last: now.AddHours(-2)), CancellationToken.None);
        await store.CreateAsync(EventTtlSweeper.Resource, Event("repeating", first: now.AddHours(-3), last: now.AddMinutes(-5)), CancellationToken.None);
        await store.CreateAsync(EventTtlSweeper.Resource, Event("series", first: null, last: null, eventTime: now.AddHours(-2), series: now.AddMinutes(-1)), CancellationToken.None);
        await store.CreateAsync(ConfigMaps, ConfigMap("not-an-event"), CancellationToken.None);

        Assert.Equal(1, await sweeper.SweepOnceAsync(CancellationToken.None));
        Assert.Equal(["repeating", "series"], store.List(EventTtlSweeper.Resource, Ns).Items.Select(i => i.Name).Order());
        Assert.Single(store.List(ConfigMaps, Ns).Items);

        // Two hours on, the repeating one has expired too (nothing recorded it again).
        Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(2, await sweeper.SweepOnceAsync(CancellationToken.None));
        Assert.Empty(store.List(EventTtlSweeper.Resource, Ns).Items);
    }

    private static Corev1Event Event(string name, DateTime? first, DateTime? last, DateTime? eventTime = null, DateTime? series = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Uid = Guid.NewGuid().ToString(), CreationTimestamp = first ?? eventTime },
        InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "p", NamespaceProperty = Ns },
        Reason = "Started",
        Message = "Started container app",
        Type = "Normal",
        FirstTimestamp = first,
        LastTimestamp = last,
        EventTime = eventTime,
        Series = series is { } s ? new Corev1EventSeries { Count = 2, LastObservedTime = s } : null,
        Count = 1,
    };
}
