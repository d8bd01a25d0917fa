using k8s;
using k8s.Models;
using KubeWeb.Controllers.Apps;
using KubeWeb.Controllers.Hosting;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Informers;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.PodGarbageCollection;

/// <summary>
/// kube-controller-manager's pod GC. Every <see cref="ControllerManagerOptions.PodGcPeriod"/> it
/// force-deletes pods nothing else will remove: terminated pods beyond the threshold (evicted ones,
/// then the oldest), pods of a node that no longer exists (after a quarantine and a live read of
/// the node, so a slow cache never costs pods), terminating pods on a NotReady node tainted
/// <c>node.kubernetes.io/out-of-service</c>, and terminating pods never scheduled. A pod that is
/// not yet terminal is marked Failed first, so it does not stay Running with no kubelet left to
/// say otherwise.
/// </summary>
public sealed partial class PodGarbageCollector : IController
{
    public const string OutOfServiceTaint = "node.kubernetes.io/out-of-service";

    private const int Parallelism = 8;

    private readonly IKubernetes _client;
    private readonly ControllerManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PodGarbageCollector> _log;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1Node> _nodes;

    /// <summary>Nodes some pod names but the cache does not hold, with when that was first seen.</summary>
    private readonly Dictionary<string, DateTimeOffset> _missingNodes = new(StringComparer.Ordinal);

    public PodGarbageCollector(IKubernetes client, InformerFactory informers, ControllerManagerOptions options, TimeProvider time, ILogger<PodGarbageCollector> log)
    {
        _client = client;
        _options = options;
        _time = time;
        _log = log;
        _pods = informers.For<V1Pod>();
        _nodes = informers.For<V1Node>();
    }

    public string Name => "pod-garbage-collector";

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(_pods.WaitForSyncAsync(ct), _nodes.WaitForSyncAsync(ct));
        using var timer = new PeriodicTimer(_options.PodGcPeriod, _time);
        do
        {
            try
            {
                await CollectAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                LogPassFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    /// <summary>One pass over the caches.</summary>
    internal async Task CollectAsync(CancellationToken ct)
    {
        var pods = _pods.List();
        var nodes = _nodes.List().ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);

        if (_options.TerminatedPodGcThreshold > 0)
        {
            await DeleteAllAsync(TerminatedToDelete(pods, _options.TerminatedPodGcThreshold), null, "terminated pods over the threshold", ct);
        }

        var outOfService = pods.Where(p => p.Metadata.DeletionTimestamp is not null && !string.IsNullOrEmpty(p.Spec?.NodeName) &&
            nodes.TryGetValue(p.Spec.NodeName, out var node) && IsOutOfService(node));
        await DeleteAllAsync(outOfService, null, "terminating pods on out-of-service nodes", ct);

        var gone = await DeletedNodesAsync(pods, nodes, ct);
        var orphaned = pods.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName) && gone.Contains(p.Spec.NodeName));
        await DeleteAllAsync(orphaned, ("DeletionByPodGC", "PodGC: node no longer exists"), "orphaned pods", ct);

        var unscheduled = pods.Where(p => p.Metadata.DeletionTimestamp is not null && string.IsNullOrEmpty(p.Spec?.NodeName));
        await DeleteAllAsync(unscheduled, null, "unscheduled terminating pods", ct);
    }

    /// <summary>The terminated pods to delete so that <paramref name="threshold"/> remain: evicted first, then the oldest (by name on a tie).</summary>
    internal static IReadOnlyList<V1Pod> TerminatedToDelete(IEnumerable<V1Pod> pods, int threshold)
    {
        var terminated = pods.Where(p => p.Status?.Phase is "Succeeded" or "Failed").ToList();
        if (terminated.Count <= threshold)
        {
            return [];
        }

        return [.. terminated
            .OrderBy(p => p.Status.Phase == "Failed" && p.Status.Reason == "Evicted" ? 0 : 1)
            .ThenBy(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Take(terminated.Count - threshold)];
    }

    internal static bool IsOutOfService(V1Node node) =>
        node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status != "True" &&
        node.Spec?.Taints?.Any(t => t.Key == OutOfServiceTaint) == true;

    /// <summary>
    /// Nodes that pods name and that have been missing from the cache for the quarantine period,
    /// confirmed gone by reading them from the API.
    /// </summary>
    private async Task<HashSet<string>> DeletedNodesAsync(IReadOnlyList<V1Pod> pods, Dictionary<string, V1Node> nodes, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var named = pods.Select(p => p.Spec?.NodeName).OfType<string>().Where(n => n.Length > 0 && !nodes.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in _missingNodes.Keys.Where(n => !named.Contains(n)).ToList())
        {
            _missingNodes.Remove(stale);
        }

        var gone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in named)
        {
            if (!_missingNodes.TryGetValue(name, out var since))
            {
                _missingNodes[name] = now;
                continue;
            }

            if (now - since < _options.PodGcQuarantine)
            {
                continue;
            }

            try
            {
                await _client.CoreV1.ReadNodeAsync(name, cancellationToken: ct);
                _missingNodes.Remove(name);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                gone.Add(name);
            }
        }

        return gone;
    }

    private async Task DeleteAllAsync(IEnumerable<V1Pod> pods, (string Reason, string Message)? condition, string what, CancellationToken ct)
    {
        // Already marked and force-deleted: only finalizers hold it now, another pass would change nothing.
        var list = pods.Where(p => !(p.Metadata.DeletionGracePeriodSeconds == 0 && (p.Status?.Phase is "Succeeded" or "Failed"))).ToList();
        if (list.Count == 0)
        {
            return;
        }

        LogCollecting(list.Count, what);
        await Parallel.ForEachAsync(list, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (pod, token) =>
        {
            try
            {
                await MarkFailedAndDeleteAsync(pod, condition, token);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                // The next pass tries again.
                LogDeleteFailed(pod.Metadata.NamespaceProperty, pod.Metadata.Name, ApiErrors.Message(e));
            }
        });
    }

    private async Task MarkFailedAndDeleteAsync(V1Pod pod, (string Reason, string Message)? condition, CancellationToken ct)
    {
        var ns = pod.Metadata.NamespaceProperty;
        if (pod.Status?.Phase is not ("Succeeded" or "Failed"))
        {
            // No kubelet may be left to end it: it must not stay Running.
            await DisruptionTarget.MarkAsync(_client, pod, condition?.Reason, condition?.Message, fail: true, _time.GetUtcNow().UtcDateTime, ct);
        }

        LogForceDeleting(ns, pod.Metadata.Name);
        await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, ns,
            new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } }, cancellationToken: ct);
    }

    [LoggerMessage(LogLevel.Information, "Pod GC: deleting {Count} {What}")]
    private partial void LogCollecting(int count, string what);

    [LoggerMessage(LogLevel.Information, "Pod GC is force deleting pod {Namespace}/{Name}")]
    private partial void LogForceDeleting(string @namespace, string name);

    [LoggerMessage(LogLevel.Warning, "Pod GC could not delete pod {Namespace}/{Name}: {Reason}")]
    private partial void LogDeleteFailed(string @namespace, string name, string reason);

    [LoggerMessage(LogLevel.Warning, "A pod GC pass failed")]
    private partial void LogPassFailed(Exception e);
}
