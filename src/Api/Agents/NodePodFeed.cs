using System.Threading.Channels;
using k8s.Models;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Api.Agents;

/// <summary>
/// The pods bound to each node, indexed by <c>spec.nodeName</c> from one watch on the watch cache
/// (not one watch per agent: with hundreds of nodes every agent would otherwise filter every pod
/// event). Subscribers get an exact snapshot of their node's pods and then every later change once.
/// A subscriber that falls behind, or any subscriber when the feed's own watch is closed, has its
/// channel completed with an error; its agent resubscribes and starts again from a snapshot.
/// </summary>
internal sealed partial class NodePodFeed(ObjectStore store, ILogger<NodePodFeed> log) : IAsyncDisposable
{
    private const int SubscriberBuffer = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, StoredObject>> _byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nodeOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Subscription>> _subscribers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _pump;
    private long _revision;

    /// <summary>Subscribes to one node's pods. Dispose the subscription to leave.</summary>
    public Subscription Subscribe(string nodeName)
    {
        lock (_lock)
        {
            _pump ??= StartPump();
            var sub = new Subscription(this, nodeName, Channel.CreateBounded<PodChange>(new BoundedChannelOptions(SubscriberBuffer)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            }), _revision);
            if (_byNode.TryGetValue(nodeName, out var pods))
            {
                sub.Snapshot.AddRange(pods.Values.OrderBy(p => p.ResourceVersion).Select(Upsert));
            }

            if (!_subscribers.TryGetValue(nodeName, out var list))
            {
                list = [];
                _subscribers[nodeName] = list;
            }

            list.Add(sub);
            return sub;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_pump is not null)
        {
            await _pump.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        _stopping.Dispose();
    }

    private Task StartPump()
    {
        var registration = Register();
        return Task.Run(() => PumpAsync(registration, _stopping.Token));
    }

    /// <summary>Registers at the current revision and rebuilds the index; the caller holds the lock.</summary>
    private WatchRegistration Register()
    {
        var registration = store.Cache.Register("pods", 0);
        _byNode.Clear();
        _nodeOf.Clear();
        foreach (var pod in registration.Initial)
        {
            Index(pod);
        }

        _revision = registration.Revision;
        return registration;
    }

    private async Task PumpAsync(WatchRegistration registration, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var watcher = registration.Watcher!;
            try
            {
                await foreach (var e in watcher.Channel.Reader.ReadAllAsync(ct))
                {
                    lock (_lock)
                    {
                        Apply(e);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                store.Cache.Unregister(watcher);
                return;
            }
            catch (Exception e)
            {
                LogWatchClosed(e.Message);
            }

            store.Cache.Unregister(watcher);
            lock (_lock)
            {
                // Events were lost: every subscriber must start over from a snapshot of the new index.
                foreach (var sub in _subscribers.Values.SelectMany(s => s).ToList())
                {
                    sub.Writer.TryComplete(new PodFeedResyncException());
                }

                _subscribers.Clear();
                registration = Register();
            }
        }
    }

    private void Apply(StoreEvent e)
    {
        var pod = e.Object;
        _revision = e.Revision;
        var oldNode = _nodeOf.GetValueOrDefault(pod.Key);
        var newNode = e.Type == WatchEventType.Deleted ? null : NodeName(pod);
        if (oldNode is not null && (oldNode != newNode || e.Type == WatchEventType.Deleted))
        {
            var previous = _byNode[oldNode][pod.Key];
            _byNode[oldNode].Remove(pod.Key);
            _nodeOf.Remove(pod.Key);
            Publish(oldNode, new PodChange(PodChangeType.Delete, pod.Namespace, pod.Name, previous.Object.Metadata.Uid, null));
        }

        if (newNode is not null)
        {
            if (oldNode == newNode && _byNode[oldNode][pod.Key].Object.Metadata.Uid != pod.Object.Metadata.Uid)
            {
                // Same name, new object: the agent keys pods by uid, so the old one is deleted first.
                Publish(newNode, new PodChange(PodChangeType.Delete, pod.Namespace, pod.Name, _byNode[oldNode][pod.Key].Object.Metadata.Uid, null));
            }

            var echo = oldNode == newNode && AgentStatusEchoes.IsEchoFor(pod.Object, newNode)
                && _byNode[newNode][pod.Key].Object.Metadata.Uid == pod.Object.Metadata.Uid;
            Index(pod);
            if (!echo)
            {
                Publish(newNode, Upsert(pod));
            }
        }
    }

    private void Index(StoredObject pod)
    {
        if (NodeName(pod) is not { } node)
        {
            return;
        }

        if (!_byNode.TryGetValue(node, out var pods))
        {
            pods = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
            _byNode[node] = pods;
        }

        pods[pod.Key] = pod;
        _nodeOf[pod.Key] = node;
    }

    private void Publish(string node, PodChange change)
    {
        if (!_subscribers.TryGetValue(node, out var subs))
        {
            return;
        }

        for (var i = subs.Count - 1; i >= 0; i--)
        {
            if (!subs[i].Writer.TryWrite(change))
            {
                subs[i].Writer.TryComplete(new PodFeedResyncException());
                subs.RemoveAt(i);
            }
        }
    }

    private void Leave(Subscription sub)
    {
        lock (_lock)
        {
            if (_subscribers.TryGetValue(sub.NodeName, out var subs) && subs.Remove(sub) && subs.Count == 0)
            {
                _subscribers.Remove(sub.NodeName);
            }
        }

        sub.Writer.TryComplete();
    }

    private static string? NodeName(StoredObject pod) =>
        ((V1Pod)pod.Object).Spec?.NodeName is { Length: > 0 } n ? n : null;

    /// <summary>The pod as the agent gets it: its stored encoding without managedFields, which a kubelet never reads.</summary>
    private static PodChange Upsert(StoredObject pod) =>
        new(PodChangeType.Upsert, pod.Namespace, pod.Name, pod.Object.Metadata.Uid, ManagedFieldsSpan.TextWithout(pod.Json));

    [LoggerMessage(LogLevel.Warning, "The agent pod feed's watch closed ({Reason}); agents resync from a snapshot")]
    private partial void LogWatchClosed(string reason);

    /// <summary>One agent stream's view of its node: the snapshot at subscription, then the changes.</summary>
    internal sealed class Subscription(NodePodFeed feed, string nodeName, Channel<PodChange> channel, long revision) : IDisposable
    {
        public string NodeName { get; } = nodeName;

        /// <summary>The revision the snapshot reflects.</summary>
        public long Revision { get; } = revision;

        public List<PodChange> Snapshot { get; } = [];

        public ChannelReader<PodChange> Changes => channel.Reader;

        internal ChannelWriter<PodChange> Writer => channel.Writer;

        public void Dispose() => feed.Leave(this);
    }
}

/// <summary>The feed lost events for this subscriber; it must start again from a snapshot.</summary>
internal sealed class PodFeedResyncException() : Exception("the pod feed lost events; resubscribe for a fresh snapshot");
