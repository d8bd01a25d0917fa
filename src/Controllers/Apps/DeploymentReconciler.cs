using System.Text.Json;
using k8s;
using k8s.Models;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Events;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Selectors;
using KubeWeb.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Apps;

/// <summary>
/// The Deployment controller (upstream pkg/controller/deployment): one ReplicaSet per distinct pod
/// template, named <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>, rolled with RollingUpdate or
/// Recreate, revisions and conditions as kubectl's rollout commands read them. Concerns live in
/// sibling files: <c>.Sync</c> (new ReplicaSet, scaling, clean-up, status), <c>.Rolling</c>,
/// <c>.Recreate</c>, <c>.Progress</c>. Reads the shared informers; writes through the API client,
/// always on a copy of the cached object.
/// </summary>
internal sealed partial class DeploymentReconciler : Reconciler, IController
{
    private readonly IKubernetes _client;
    private readonly EventRecorder _events;
    private readonly Informer<V1Deployment> _deployments;
    private readonly Informer<V1ReplicaSet> _replicaSets;
    private readonly Informer<V1Pod> _pods;

    public DeploymentReconciler(IKubernetes client, EventRecorder events, InformerFactory informers, TimeProvider time, ILogger<DeploymentReconciler> log)
        : base(time, log)
    {
        _client = client;
        _events = events;
        _deployments = informers.For<V1Deployment>();
        _replicaSets = informers.For<V1ReplicaSet>();
        _pods = informers.For<V1Pod>();
        _deployments.AddHandler(new DeploymentEvents(this));
        _replicaSets.AddHandler(new ReplicaSetEvents(this));
        _pods.AddHandler(new PodEvents(this));
    }

    public string Name => "deployment";

    public int Workers { get; init; } = 5;

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(_deployments.WaitForSyncAsync(ct), _replicaSets.WaitForSyncAsync(ct), _pods.WaitForSyncAsync(ct));
        await RunWorkersAsync(Workers, ct);
    }

    public override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        if (_deployments.Get(key) is not { } cached)
        {
            return;
        }

        var d = ObjectCopy.Clone(cached);
        d.Status ??= new V1DeploymentStatus();
        if (d.Spec.Selector is not { } selector || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0))
        {
            _events.Record(d, EventRecorder.Warning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            if ((d.Status.ObservedGeneration ?? 0) < (d.Metadata.Generation ?? 0))
            {
                d.Status.ObservedGeneration = d.Metadata.Generation;
                await WriteStatusAsync(d, ct);
            }

            return;
        }

        var rsList = await ClaimReplicaSetsAsync(d, ct);
        if (d.Metadata.DeletionTimestamp is not null)
        {
            var (deletingNew, deletingOld) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfMissing: false, ct);
            await SyncStatusAsync(d, [.. deletingOld, deletingNew], deletingNew, ct);
            return;
        }

        await CheckPausedConditionsAsync(d, ct);
        if (d.Spec.Paused == true || await IsScalingEventAsync(d, rsList, ct))
        {
            await SyncAsync(d, rsList, ct);
            return;
        }

        if (d.Spec.Strategy?.Type == "Recreate")
        {
            await RolloutRecreateAsync(d, rsList, ct);
        }
        else
        {
            await RolloutRollingAsync(d, rsList, ct);
        }
    }

    /// <summary>
    /// Upstream ClaimReplicaSets: the ReplicaSets this Deployment controls and still selects; releases
    /// controlled ones that stopped matching and adopts matching orphans.
    /// </summary>
    private async Task<List<V1ReplicaSet>> ClaimReplicaSetsAsync(V1Deployment d, CancellationToken ct)
    {
        var selector = LabelSelector.FromApi(d.Spec.Selector);
        var claimed = new List<V1ReplicaSet>();
        bool? canAdopt = null;
        foreach (var rs in _replicaSets.List(d.Metadata.NamespaceProperty))
        {
            var owner = OwnerRefs.ControllerOf(rs);
            var matches = selector.Matches(rs.Metadata.Labels);
            if (owner is not null)
            {
                if (owner.Uid != d.Metadata.Uid)
                {
                    continue;
                }

                if (matches)
                {
                    claimed.Add(rs);
                }
                else if (d.Metadata.DeletionTimestamp is null)
                {
                    await SetOwnerReferencesAsync(rs, [.. (rs.Metadata.OwnerReferences ?? []).Where(r => r.Uid != d.Metadata.Uid)], ct);
                }

                continue;
            }

            if (!matches || d.Metadata.DeletionTimestamp is not null || rs.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            canAdopt ??= await CanAdoptAsync(d, ct);
            if (canAdopt == true
                && await SetOwnerReferencesAsync(rs, [.. rs.Metadata.OwnerReferences ?? [], OwnerRefs.ControllerRef(d, "apps/v1", "Deployment")], ct) is { } adopted)
            {
                claimed.Add(adopted);
            }
        }

        return claimed;
    }

    private async Task<bool> CanAdoptAsync(V1Deployment d, CancellationToken ct)
    {
        try
        {
            var fresh = await _client.AppsV1.ReadNamespacedDeploymentAsync(d.Metadata.Name, d.Metadata.NamespaceProperty, cancellationToken: ct);
            return fresh.Metadata.Uid == d.Metadata.Uid && fresh.Metadata.DeletionTimestamp is null;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return false;
        }
    }

    private async Task<V1ReplicaSet?> SetOwnerReferencesAsync(V1ReplicaSet rs, List<V1OwnerReference> refs, CancellationToken ct)
    {
        var patch = new { metadata = new { uid = rs.Metadata.Uid, resourceVersion = rs.Metadata.ResourceVersion, ownerReferences = refs } };
        try
        {
            return await _client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch(JsonSerializer.Serialize(patch, KubeJson.Options), V1Patch.PatchType.MergePatch),
                rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: ct);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    private V1Deployment? ResolveOwner(string ns, V1OwnerReference? owner)
    {
        if (owner is not { Kind: "Deployment" } || owner.ApiVersion?.StartsWith("apps/", StringComparison.Ordinal) != true)
        {
            return null;
        }

        var d = _deployments.Get(ns, owner.Name);
        return d?.Metadata.Uid == owner.Uid ? d : null;
    }

    private void Enqueue(V1Deployment d) => Queue.Add(ObjectKeys.Of(d));

    private void EnqueueMatching(V1ReplicaSet rs)
    {
        foreach (var d in _deployments.List(rs.Metadata.NamespaceProperty))
        {
            if (d.Spec?.Selector is { } s && ((s.MatchLabels?.Count ?? 0) > 0 || (s.MatchExpressions?.Count ?? 0) > 0)
                && LabelSelector.FromApi(s).Matches(rs.Metadata.Labels))
            {
                Enqueue(d);
            }
        }
    }

    private sealed class DeploymentEvents(DeploymentReconciler c) : IInformerHandler<V1Deployment>
    {
        public void OnAdd(V1Deployment obj) => c.Enqueue(obj);

        public void OnUpdate(V1Deployment old, V1Deployment obj) => c.Enqueue(obj);

        public void OnDelete(V1Deployment obj) => c.Enqueue(obj);
    }

    private sealed class ReplicaSetEvents(DeploymentReconciler c) : IInformerHandler<V1ReplicaSet>
    {
        public void OnAdd(V1ReplicaSet rs)
        {
            if (OwnerRefs.ControllerOf(rs) is { } owner)
            {
                if (c.ResolveOwner(rs.Metadata.NamespaceProperty, owner) is { } d)
                {
                    c.Enqueue(d);
                }

                return;
            }

            c.EnqueueMatching(rs);
        }

        public void OnUpdate(V1ReplicaSet old, V1ReplicaSet rs)
        {
            if (old.Metadata.ResourceVersion == rs.Metadata.ResourceVersion)
            {
                return;
            }

            var oldOwner = OwnerRefs.ControllerOf(old);
            var owner = OwnerRefs.ControllerOf(rs);
            if (oldOwner?.Uid != owner?.Uid && c.ResolveOwner(old.Metadata.NamespaceProperty, oldOwner) is { } previous)
            {
                c.Enqueue(previous);
            }

            if (owner is not null)
            {
                if (c.ResolveOwner(rs.Metadata.NamespaceProperty, owner) is { } d)
                {
                    c.Enqueue(d);
                }

                return;
            }

            c.EnqueueMatching(rs);
        }

        public void OnDelete(V1ReplicaSet rs)
        {
            if (c.ResolveOwner(rs.Metadata.NamespaceProperty, OwnerRefs.ControllerOf(rs)) is { } d)
            {
                c.Enqueue(d);
            }
        }
    }

    /// <summary>A Recreate rollout waits for the old pods to be gone, so it must hear when they go.</summary>
    private sealed class PodEvents(DeploymentReconciler c) : IInformerHandler<V1Pod>
    {
        public void OnAdd(V1Pod obj)
        {
        }

        public void OnUpdate(V1Pod old, V1Pod obj)
        {
        }

        public void OnDelete(V1Pod pod)
        {
            var ns = pod.Metadata.NamespaceProperty;
            if (OwnerRefs.ControllerName(pod, "apps", "ReplicaSet") is { } rsName
                && c._replicaSets.Get(ns, rsName) is { } rs
                && c.ResolveOwner(ns, OwnerRefs.ControllerOf(rs)) is { Spec.Strategy.Type: "Recreate" } d)
            {
                c.Enqueue(d);
            }
        }
    }
}
