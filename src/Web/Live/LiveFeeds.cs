using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Resources;
using KubeWeb.Web.Api;
using KubeWeb.Web.State;

namespace KubeWeb.Web.Live;

/// <summary>The current rows of a live view, and whether its watch is reconnecting (and why).</summary>
public sealed record LiveSnapshot<T>(IReadOnlyList<KubeColumn> Columns, IReadOnlyList<T> Items, bool Loaded, ApiProblem? Problem);

/// <summary>
/// Live views as a snapshot followed by changes: list, then watch from the list's resourceVersion,
/// yielding the whole current state after each change. A broken watch is reported (Problem set),
/// retried with back-off and relisted; the caller cancels <c>ct</c> to stop (component disposal).
/// </summary>
public static class LiveFeeds
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    public static async IAsyncEnumerable<LiveSnapshot<KubeRow>> TableAsync(ConsoleSession session, ResourceType type, string? ns, string? labelSelector,
        string? fieldSelector, TimeProvider time, [EnumeratorCancellation] CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        IReadOnlyList<KubeColumn> columns = [];
        var rows = new Dictionary<string, KubeRow>();
        while (!ct.IsCancellationRequested)
        {
            ApiProblem? problem = null;
            var api = await session.GetApiAsync();
            var stream = Stream(api, type, ns, labelSelector, fieldSelector, ct).GetAsyncEnumerator(ct);
            try
            {
                while (true)
                {
                    KubeTableEvent e;
                    try
                    {
                        if (!await stream.MoveNextAsync())
                        {
                            break;
                        }

                        e = stream.Current;
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested)
                    {
                        problem = ApiErrors.Describe(ex);
                        session.ReportProblem(problem);
                        break;
                    }

                    session.ReportHealth(true);
                    backoff = TimeSpan.FromMilliseconds(250);
                    if (e.Type == "SNAPSHOT")
                    {
                        columns = e.Columns ?? [];
                        rows = e.Rows!.ToDictionary(r => r.Key);
                    }
                    else if (e.Type == "ERROR")
                    {
                        break;
                    }
                    else if (e.Row is { } row)
                    {
                        if (e.Type == "DELETED")
                        {
                            rows.Remove(row.Key);
                        }
                        else
                        {
                            rows[row.Key] = row;
                        }
                    }

                    if (e.Type != "BOOKMARK")
                    {
                        yield return new LiveSnapshot<KubeRow>(columns, [.. rows.Values], true, null);
                    }
                }
            }
            finally
            {
                await stream.DisposeAsync();
            }

            if (ct.IsCancellationRequested)
            {
                yield break;
            }

            if (problem is not null)
            {
                yield return new LiveSnapshot<KubeRow>(columns, [.. rows.Values], columns.Count > 0, problem);
                await Delay(backoff, time, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Typed objects of a kind, kept current by a watch (overview, namespace picker).</summary>
    public static IAsyncEnumerable<LiveSnapshot<T>> ObjectsAsync<T>(ConsoleSession session, ResourceType type, string? ns,
        TimeProvider time, CancellationToken ct)
        where T : IKubernetesObject<V1ObjectMeta> => ObjectsAsync<T>(session, type, ns, null, time, ct);

    /// <summary>As above, narrowed by a field selector (one node's pods, one object by name).</summary>
    public static IAsyncEnumerable<LiveSnapshot<T>> ObjectsAsync<T>(ConsoleSession session, ResourceType type, string? ns, string? fieldSelector,
        TimeProvider time, CancellationToken ct)
        where T : IKubernetesObject<V1ObjectMeta> => ObjectsAsync<T>(session, type, ns, null, fieldSelector, time, ct);

    /// <summary>As above, narrowed by label and field selectors (a workload's pods).</summary>
    public static async IAsyncEnumerable<LiveSnapshot<T>> ObjectsAsync<T>(ConsoleSession session, ResourceType type, string? ns, string? labelSelector,
        string? fieldSelector, TimeProvider time, [EnumeratorCancellation] CancellationToken ct)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        var items = new Dictionary<string, T>();
        var loaded = false;
        while (!ct.IsCancellationRequested)
        {
            ApiProblem? problem = null;
            var api = await session.GetApiAsync();
            var stream = ObjectStream<T>(api.Resources, type, ns, labelSelector, fieldSelector, ct).GetAsyncEnumerator(ct);
            try
            {
                while (true)
                {
                    (string Type, IReadOnlyList<T> Items) e;
                    try
                    {
                        if (!await stream.MoveNextAsync())
                        {
                            break;
                        }

                        e = stream.Current;
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested)
                    {
                        problem = ApiErrors.Describe(ex);
                        session.ReportProblem(problem);
                        break;
                    }

                    session.ReportHealth(true);
                    backoff = TimeSpan.FromMilliseconds(250);
                    switch (e.Type)
                    {
                        case "SNAPSHOT":
                            items = e.Items.ToDictionary(Key);
                            loaded = true;
                            break;
                        case "DELETED":
                            items.Remove(Key(e.Items[0]));
                            break;
                        default:
                            items[Key(e.Items[0])] = e.Items[0];
                            break;
                    }

                    yield return new LiveSnapshot<T>([], [.. items.Values], loaded, null);
                }
            }
            finally
            {
                await stream.DisposeAsync();
            }

            if (ct.IsCancellationRequested)
            {
                yield break;
            }

            if (problem is not null)
            {
                yield return new LiveSnapshot<T>([], [.. items.Values], loaded, problem);
                await Delay(backoff, time, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>
    /// One object as JSON, kept current: a GET, then a watch by name from its resourceVersion.
    /// Yields null Items when it is deleted (and keeps watching for a re-creation).
    /// </summary>
    public static async IAsyncEnumerable<LiveSnapshot<System.Text.Json.Nodes.JsonObject>> ObjectAsync(ConsoleSession session, ResourceType type, string? ns,
        string name, TimeProvider time, [EnumeratorCancellation] CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        System.Text.Json.Nodes.JsonObject? current = null;
        while (!ct.IsCancellationRequested)
        {
            ApiProblem? problem = null;
            var api = await session.GetApiAsync();
            var stream = OneObjectStream(api, type, ns, name, ct).GetAsyncEnumerator(ct);
            try
            {
                while (true)
                {
                    try
                    {
                        if (!await stream.MoveNextAsync())
                        {
                            break;
                        }
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested)
                    {
                        problem = ApiErrors.Describe(ex);
                        session.ReportProblem(problem);
                        break;
                    }

                    session.ReportHealth(true);
                    backoff = TimeSpan.FromMilliseconds(250);
                    current = stream.Current;
                    yield return new LiveSnapshot<System.Text.Json.Nodes.JsonObject>([], current is null ? [] : [current], true, null);
                }
            }
            finally
            {
                await stream.DisposeAsync();
            }

            if (ct.IsCancellationRequested)
            {
                yield break;
            }

            if (problem is not null)
            {
                yield return new LiveSnapshot<System.Text.Json.Nodes.JsonObject>([], current is null ? [] : [current], current is not null || problem.Code == 404, problem);
                await Delay(backoff, time, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private static async IAsyncEnumerable<System.Text.Json.Nodes.JsonObject?> OneObjectStream(ConsoleApi api, ResourceType type, string? ns, string name,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var obj = await api.GetJsonAsync(type, ns, name, ct);
        yield return obj;
        var rv = (string?)obj["metadata"]?["resourceVersion"] ?? "";
        await foreach (var (eventType, o) in api.WatchJsonAsync(type, ns, $"metadata.name={name}", rv, ct))
        {
            switch (eventType)
            {
                case "ERROR":
                    yield break;
                case "BOOKMARK":
                    break;
                case "DELETED":
                    yield return null;
                    break;
                default:
                    yield return o;
                    break;
            }
        }
    }

    private static string Key<T>(T o)
        where T : IKubernetesObject<V1ObjectMeta> => $"{o.Metadata?.NamespaceProperty}/{o.Metadata?.Name}";

    private static async IAsyncEnumerable<KubeTableEvent> Stream(ConsoleApi api, ResourceType type, string? ns, string? labelSelector,
        string? fieldSelector, [EnumeratorCancellation] CancellationToken ct)
    {
        var table = await api.ListTableAsync(type, ns, labelSelector, fieldSelector, ct);
        yield return new KubeTableEvent("SNAPSHOT", null, table.Columns, table.ResourceVersion, null) { Rows = table.Rows };
        var rv = table.ResourceVersion;
        await foreach (var e in api.WatchTableAsync(type, ns, labelSelector, fieldSelector, rv, ct))
        {
            yield return e;
        }
    }

    private static async IAsyncEnumerable<(string Type, IReadOnlyList<T> Items)> ObjectStream<T>(ResourceClient client, ResourceType type, string? ns,
        string? labelSelector, string? fieldSelector, [EnumeratorCancellation] CancellationToken ct)
    {
        var page = await client.ListAsync<T>(type, ns, labelSelector, fieldSelector, null, 0, null, ct);
        yield return ("SNAPSHOT", page.Items);
        await foreach (var e in client.WatchAsync<T>(type, ns, labelSelector, fieldSelector, page.ResourceVersion, 1800, ct))
        {
            if (e.Type == "ERROR")
            {
                yield break;
            }

            if (e.Object is { } o)
            {
                yield return (e.Type, [o]);
            }
        }
    }

    private static async Task Delay(TimeSpan delay, TimeProvider time, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
