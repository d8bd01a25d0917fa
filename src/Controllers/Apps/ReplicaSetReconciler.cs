using k8s;
using k8s.Models;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Events;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Selectors;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Apps;

/// <summary>
/// The ReplicaSet controller: keeps <c>spec.replicas</c> active pods that match the selector,
/// adopting orphans and releasing pods that stop matching, and reports status. Reads pods and
/// ReplicaSets from the shared informers; writes pods through <see cref="IPodControl"/> and status
/// through <c>replicasets/status</c>. Event handlers only enqueue keys and record what the informer
/// has observed against the <see cref="ControllerExpectations"/>.
/// </summary>
internal sealed partial class ReplicaSetReconciler : Reconciler, IController
{
    /// <summary>At most this many pods are created or deleted in one sync (upstream BurstReplicas).</summary>
    public const int BurstReplicas = 500;

    private readonly IKubernetes _client;
    private readonly IPodControl _pods;
    private readonly EventRecorder _events;
    private readonly Informer<V1ReplicaSet> _replicaSets;
    private readonly Informer<V1Pod> _podInformer;

    public ReplicaSetReconciler(IKubernetes client, IPodControl pods, EventRecorder events, InformerFactory informers,
        TimeProvider time, ILogger<ReplicaSetReconciler> log)
        : base(time, log)
    {
        _client = client;
        _pods = pods;
        _events = events;
        _replicaSets = informers.For<V1ReplicaSet>();
        _podInformer = informers.For<V1Pod>();
        Expectations = new ControllerExpectations(time);
        _replicaSets.AddHandler(new ReplicaSetEvents(this));
        _podInformer.AddHandler(new PodEvents(this));
    }

    public string Name => "replicaset";

    public int Workers { get; init; } = 5;

    internal ControllerExpectations Expectations { get; }

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(_replicaSets.WaitForSyncAsync(ct), _podInformer.WaitForSyncAsync(ct));
        await RunWorkersAsync(Workers, ct);
    }

    public override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        if (_replicaSets.Get(key) is not { } cached)
        {
            Expectations.Forget(key);
            return;
        }

        var needsSync = Expectations.Satisfied(key);
        var selector = LabelSelector.FromApi(cached.Spec.Selector);
        var active = _podInformer.List(cached.Metadata.NamespaceProperty).Where(PodConditions.IsActive).ToList();
        var owned = await ClaimPodsAsync(cached, selector, active, ct);

        Exception? manageError = null;
        if (needsSync && cached.Metadata.DeletionTimestamp is null)
        {
            manageError = await ManageReplicasAsync(key, cached, owned, ct);
        }

        var updated = await UpdateStatusAsync(cached, owned, manageError, ct);
        var desired = updated.Spec.Replicas ?? 1;
        if (manageError is null && updated.Spec.MinReadySeconds is > 0 and var minReady
            && updated.Status?.ReadyReplicas == desired && updated.Status?.AvailableReplicas != desired)
        {
            Queue.AddAfter(key, TimeSpan.FromSeconds(minReady));
        }

        if (manageError is not null)
        {
            throw manageError;
        }
    }

    private void Enqueue(V1ReplicaSet rs) => Queue.Add(ObjectKeys.Of(rs));

    /// <summary>The ReplicaSet a pod's controllerRef names, if it still exists with that uid.</summary>
    private V1ReplicaSet? ResolveOwner(string ns, V1OwnerReference? owner)
    {
        if (owner is not { Kind: "ReplicaSet" } || owner.ApiVersion?.StartsWith("apps/", StringComparison.Ordinal) != true)
        {
            return null;
        }

        var rs = _replicaSets.Get(ns, owner.Name);
        return rs?.Metadata.Uid == owner.Uid ? rs : null;
    }

    /// <summary>ReplicaSets in the pod's namespace whose selector matches it: candidates to adopt an orphan.</summary>
    private IEnumerable<V1ReplicaSet> MatchingReplicaSets(V1Pod pod) =>
        _replicaSets.List(pod.Metadata.NamespaceProperty).Where(rs =>
            rs.Spec?.Selector is { } s && (s.MatchLabels is { Count: > 0 } || s.MatchExpressions is { Count: > 0 })
            && LabelSelector.FromApi(s).Matches(pod.Metadata.Labels));

    private sealed class ReplicaSetEvents(ReplicaSetReconciler c) : IInformerHandler<V1ReplicaSet>
    {
        public void OnAdd(V1ReplicaSet obj) => c.Enqueue(obj);

        public void OnUpdate(V1ReplicaSet old, V1ReplicaSet obj) => c.Enqueue(obj);

        public void OnDelete(V1ReplicaSet obj)
        {
            c.Expectations.Forget(ObjectKeys.Of(obj));
            c.Enqueue(obj);
        }
    }

    private sealed class PodEvents(ReplicaSetReconciler c) : IInformerHandler<V1Pod>
    {
        public void OnAdd(V1Pod pod)
        {
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                OnDelete(pod);
                return;
            }

            if (OwnerRefs.ControllerOf(pod) is { } owner)
            {
                if (c.ResolveOwner(pod.Metadata.NamespaceProperty, owner) is { } rs)
                {
                    c.Expectations.CreationObserved(ObjectKeys.Of(rs));
                    c.Enqueue(rs);
                }

                return;
            }

            foreach (var rs in c.MatchingReplicaSets(pod))
            {
                c.Enqueue(rs);
            }
        }

        public void OnUpdate(V1Pod old, V1Pod pod)
        {
            if (old.Metadata.ResourceVersion == pod.Metadata.ResourceVersion)
            {
                return;
            }

            var labelsChanged = !SameLabels(old.Metadata.Labels, pod.Metadata.Labels);
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                OnDelete(pod);
                if (labelsChanged)
                {
                    OnDelete(old);
                }

                return;
            }

            var oldOwner = OwnerRefs.ControllerOf(old);
            var owner = OwnerRefs.ControllerOf(pod);
            var ownerChanged = oldOwner?.Uid != owner?.Uid;
            if (ownerChanged && c.ResolveOwner(old.Metadata.NamespaceProperty, oldOwner) is { } previous)
            {
                c.Enqueue(previous);
            }

            if (owner is not null)
            {
                if (c.ResolveOwner(pod.Metadata.NamespaceProperty, owner) is { } rs)
                {
                    c.Enqueue(rs);
                    if (!PodConditions.IsReady(old) && PodConditions.IsReady(pod) && rs.Spec.MinReadySeconds is > 0 and var minReady)
                    {
                        c.Queue.AddAfter(ObjectKeys.Of(rs), TimeSpan.FromSeconds(minReady + 1));
                    }
                }

                return;
            }

            if (labelsChanged || ownerChanged)
            {
                foreach (var rs in c.MatchingReplicaSets(pod))
                {
                    c.Enqueue(rs);
                }
            }
        }

        public void OnDelete(V1Pod pod)
        {
            if (c.ResolveOwner(pod.Metadata.NamespaceProperty, OwnerRefs.ControllerOf(pod)) is { } rs)
            {
                var key = ObjectKeys.Of(rs);
                c.Expectations.DeletionObserved(key, ObjectKeys.Of(pod));
                c.Enqueue(rs);
            }
        }

        private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
            (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }
}
