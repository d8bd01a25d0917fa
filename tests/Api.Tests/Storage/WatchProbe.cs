using KubeWeb.Api.Storage;

namespace KubeWeb.Api.Tests.Storage;

/// <summary>Follows a watch the way the HTTP handler does: log window, in-memory backlog, then live events.</summary>
internal static class WatchProbe
{
    public static Task<List<StoreEvent>> CollectAsync(ObjectStore store, string resource, long from, long until, TimeSpan limit) =>
        CollectAsync(store, resource, from, Task.FromResult(until), limit);

    /// <summary>
    /// Registers at <paramref name="from"/> at once (before this method first awaits) and collects
    /// events of <paramref name="resource"/> until one at or past <paramref name="until"/> arrives.
    /// </summary>
    public static async Task<List<StoreEvent>> CollectAsync(ObjectStore store, string resource, long from, Task<long> until, TimeSpan limit)
    {
        var registration = store.Cache.Register(resource, from);
        Assert.False(registration.IsExpired, $"watch from {from} expired (compacted at {registration.Revision})");
        Assert.False(registration.IsTooLarge, $"watch from {from} is ahead of {registration.Revision}");
        var watcher = registration.Watcher!;
        using var timeout = new CancellationTokenSource(limit);
        var events = new List<StoreEvent>();
        try
        {
            if (registration.LogTo > 0)
            {
                events.AddRange(await store.ReadLogAsync(resource, registration.LogFrom, registration.LogTo, timeout.Token));
            }

            events.AddRange(registration.Backlog);
            var last = await until.WaitAsync(timeout.Token);
            while ((events.Count == 0 ? from : events[^1].Revision) < last)
            {
                events.Add(await watcher.Channel.Reader.ReadAsync(timeout.Token));
            }
        }
        finally
        {
            store.Cache.Unregister(watcher);
        }

        return events;
    }

    /// <summary>True when a watch from <paramref name="from"/> is refused with 410 Gone.</summary>
    public static bool IsExpired(ObjectStore store, string resource, long from)
    {
        var registration = store.Cache.Register(resource, from);
        if (registration.Watcher is { } w)
        {
            store.Cache.Unregister(w);
        }

        return registration.IsExpired;
    }
}
