using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Core.Informers;

/// <summary>An informer seen without its model type (garbage collector, namespace controller).</summary>
public interface IInformer
{
    ResourceType Type { get; }

    bool HasSynced { get; }

    Task WaitForSyncAsync(CancellationToken ct);

    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects();

    IKubernetesObject<V1ObjectMeta>? GetObject(string key);

    void AddHandler(IInformerHandler<IKubernetesObject<V1ObjectMeta>> handler);
}

/// <summary>Callbacks an informer makes; they must be quick (typically: enqueue a key).</summary>
public interface IInformerHandler<in T>
{
    void OnAdd(T obj);

    void OnUpdate(T old, T obj);

    void OnDelete(T obj);
}

/// <summary>
/// List + watch into an in-memory cache, like client-go's shared informer: lists, then watches from
/// the list's resourceVersion, resumes from the last seen version when a watch ends, and re-lists
/// on 410 Gone. Cached objects are shared: never mutate them, copy first.
/// </summary>
public sealed partial class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceClient _client;
    private readonly ResourceType _type;
    private readonly string? _namespace;
    private readonly string? _labelSelector;
    private readonly string? _fieldSelector;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Action<T>? _transform;
    private readonly System.Text.Json.JsonSerializerOptions _decode;
    private readonly ConcurrentDictionary<string, T> _cache = new(StringComparer.Ordinal);
    private readonly List<IInformerHandler<T>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="transform">
    /// Applied to each listed or watched object before it is cached and handed to handlers (client-go's
    /// SetTransform).
    /// </param>
    /// <param name="withoutManagedFields">
    /// Decode objects without metadata.managedFields (skipped while reading, not decoded then dropped):
    /// the shared informers' setting, as client-go's TransformStripManagedFields, at a fraction of the cost.
    /// </param>
    public Informer(ResourceClient client, ResourceType type, TimeProvider time, ILogger log,
        string? ns = null, string? labelSelector = null, string? fieldSelector = null, Action<T>? transform = null, bool withoutManagedFields = false)
    {
        _transform = transform;
        _decode = withoutManagedFields ? KubeJson.WithoutManagedFields : KubeJson.Options;
        _client = client;
        _type = type;
        _namespace = ns;
        _labelSelector = labelSelector;
        _fieldSelector = fieldSelector;
        _time = time;
        _log = log;
    }

    public ResourceType Type => _type;

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the cache reflects.</summary>
    public string LastResourceVersion { get; private set; } = "";

    /// <summary>
    /// Adds a handler. One added after the informer synced first gets an OnAdd for every cached
    /// object, as client-go's shared informers do, so late handlers never miss existing state.
    /// </summary>
    public void AddHandler(IInformerHandler<T> handler)
    {
        lock (_handlers)
        {
            _handlers.Add(handler);
        }

        if (HasSynced)
        {
            foreach (var obj in _cache.Values)
            {
                handler.OnAdd(obj);
            }
        }
    }

    public Task WaitForSyncAsync(CancellationToken ct) => _synced.Task.WaitAsync(ct);

    public T? Get(string ns, string name) => _cache.GetValueOrDefault(ObjectKeys.Key(ns, name));

    public T? Get(string key) => _cache.GetValueOrDefault(key);

    /// <summary>Whether the cache holds nothing; lock-free, for handlers that only care when there is something.</summary>
    public bool IsEmpty => !_cache.Any();

    // Enumerating the dictionary itself takes no lock (Values would lock every bucket and copy).
    public IReadOnlyList<T> List() => [.. _cache.Select(p => p.Value)];

    public IEnumerable<T> List(string ns) => _cache.Select(p => p.Value).Where(o => o.Metadata.NamespaceProperty == ns);

    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> IInformer.Objects() => [.. _cache.Values];

    IKubernetesObject<V1ObjectMeta>? IInformer.GetObject(string key) => _cache.GetValueOrDefault(key);

    void IInformer.AddHandler(IInformerHandler<IKubernetesObject<V1ObjectMeta>> handler) => AddHandler(handler);

    /// <summary>Runs until cancelled; errors back off and retry, never end the loop.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        var needList = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAsync(ct);
                    needList = false;
                }

                await foreach (var e in _client.WatchAsync<T>(_type, _namespace, _labelSelector, _fieldSelector, LastResourceVersion,
                                   300 + Random.Shared.Next(300), ct, _decode))
                {
                    backoff = TimeSpan.FromMilliseconds(200);
                    switch (e.Type)
                    {
                        case "ERROR" when e.Status?.Code == 410:
                            needList = true;
                            break;
                        case "ERROR":
                            throw new ApiStatusException(e.Status!);
                        case "BOOKMARK":
                            LastResourceVersion = e.BookmarkVersion ?? LastResourceVersion;
                            break;
                        default:
                            Apply(e.Type, e.Object!);
                            break;
                    }

                    if (needList)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ApiStatusException e) when (e.Code == 410)
            {
                needList = true;
            }
            catch (Exception e)
            {
                LogWatchFailed(e, _type.GroupResource);
                try
                {
                    await Task.Delay(backoff, _time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task ListAsync(CancellationToken ct)
    {
        var fresh = new Dictionary<string, T>(StringComparer.Ordinal);
        string? next = null;
        string rv;
        do
        {
            var page = await _client.ListAsync<T>(_type, _namespace, _labelSelector, _fieldSelector, null, 500, next, ct, _decode);
            foreach (var item in page.Items)
            {
                item.ApiVersion ??= _type.ApiVersion;
                item.Kind ??= _type.Kind;
                _transform?.Invoke(item);
                fresh[ObjectKeys.Of(item)] = item;
            }

            next = page.Continue;
            rv = page.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(next));

        foreach (var (key, old) in _cache)
        {
            if (!fresh.ContainsKey(key) && _cache.TryRemove(key, out _))
            {
                Notify(h => h.OnDelete(old));
            }
        }

        foreach (var (key, obj) in fresh)
        {
            if (_cache.TryGetValue(key, out var old))
            {
                _cache[key] = obj;
                if (old.Metadata.ResourceVersion != obj.Metadata.ResourceVersion)
                {
                    Notify(h => h.OnUpdate(old, obj));
                }
            }
            else
            {
                _cache[key] = obj;
                Notify(h => h.OnAdd(obj));
            }
        }

        LastResourceVersion = rv;
        _synced.TrySetResult();
    }

    private void Apply(string type, T obj)
    {
        _transform?.Invoke(obj);
        var key = ObjectKeys.Of(obj);
        LastResourceVersion = obj.Metadata.ResourceVersion ?? LastResourceVersion;
        if (type == "DELETED")
        {
            if (_cache.TryRemove(key, out var gone))
            {
                Notify(h => h.OnDelete(obj ?? gone));
            }

            return;
        }

        if (_cache.TryGetValue(key, out var old))
        {
            _cache[key] = obj;
            Notify(h => h.OnUpdate(old, obj));
        }
        else
        {
            _cache[key] = obj;
            Notify(h => h.OnAdd(obj));
        }
    }

    private void Notify(Action<IInformerHandler<T>> call)
    {
        IInformerHandler<T>[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers];
        }

        foreach (var h in handlers)
        {
            call(h);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Watch of {Resource} failed; retrying")]
    private partial void LogWatchFailed(Exception e, string resource);
}

/// <summary>The "namespace/name" keys informers and work queues use.</summary>
public static class ObjectKeys
{
    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    public static string Of(IKubernetesObject<V1ObjectMeta> obj) => Key(obj.Metadata.NamespaceProperty, obj.Metadata.Name);

    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }
}
