using k8s.Models;
using KubeWeb.Web.Api;
using KubeWeb.Web.Live;
using KubeWeb.Web.State;

namespace KubeWeb.Web.Search;

/// <summary>
/// The palette's cache: names of every object of every listed kind (events excepted), across all
/// namespaces, from list + watch as the signed-in user, read as metadata only. Started the first
/// time the palette opens and kept for the circuit, so later searches are instant and live.
/// </summary>
internal sealed class SearchIndex(ConsoleSession session, TimeProvider time) : ISearchSource, IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly Dictionary<string, IReadOnlyList<SearchEntry>> _byKind = [];
    private readonly Lock _lock = new();
    private IReadOnlyList<SearchEntry>? _entries;
    private bool _started;

    public event Action? Changed;

    public static IEnumerable<ConsoleKind> Kinds => ConsoleKinds.All.Where(k => k.Plural != "events");

    public bool Loading
    {
        get
        {
            lock (_lock)
            {
                return _byKind.Count < Kinds.Count();
            }
        }
    }

    public IReadOnlyList<SearchEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return _entries ??= [.. _byKind.Values.SelectMany(e => e)];
            }
        }
    }

    public void Start()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        foreach (var kind in Kinds)
        {
            _ = FollowAsync(kind, _cts.Token);
        }
    }

    private async Task FollowAsync(ConsoleKind kind, CancellationToken ct)
    {
        try
        {
            await foreach (var s in LiveFeeds.ObjectsAsync<MetadataOnly>(session, kind.Type, null, time, ct))
            {
                if (!s.Loaded)
                {
                    continue;
                }

                lock (_lock)
                {
                    _byKind[kind.Plural] = [.. s.Items.Select(o => new SearchEntry(kind, o.Metadata?.NamespaceProperty, o.Metadata?.Name ?? ""))];
                    _entries = null;
                }

                Changed?.Invoke();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
