using k8s;
using k8s.Models;
using KubeWeb.Controllers.Apps;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Events;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Selectors;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Disruption;

/// <summary>
/// kube-controller-manager's disruption controller: keeps each PodDisruptionBudget's status (how
/// many of its pods are healthy, how many must be, how many may be disrupted now) current, which
/// the eviction subresource reads and decrements. Evictions it has not seen the pod deleted for
/// are remembered in <c>status.disruptedPods</c> for two minutes, so they are not counted healthy
/// meanwhile. Keys are PDB keys.
/// </summary>
public sealed partial class DisruptionController : Reconciler, IController,
    IInformerHandler<V1PodDisruptionBudget>, IInformerHandler<V1Pod>,
    IInformerHandler<V1ReplicaSet>, IInformerHandler<V1Deployment>, IInformerHandler<V1StatefulSet>
{
    /// <summary>How long an eviction may go without its pod being deleted (upstream's DeletionTimeout).</summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    private readonly IKubernetes _client;
    private readonly EventRecorder _events;
    private readonly Informer<V1PodDisruptionBudget> _budgets;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1ReplicaSet> _replicaSets;
    private readonly Informer<V1Deployment> _deployments;
    private readonly Informer<V1StatefulSet> _statefulSets;

    public DisruptionController(IKubernetes client, InformerFactory informers, EventRecorder events, TimeProvider time, ILogger<DisruptionController> log)
        : base(time, log)
    {
        _client = client;
        _events = events;
        _budgets = informers.For<V1PodDisruptionBudget>();
        _pods = informers.For<V1Pod>();
        _replicaSets = informers.For<V1ReplicaSet>();
        _deployments = informers.For<V1Deployment>();
        _statefulSets = informers.For<V1StatefulSet>();
        _budgets.AddHandler(this);
        _pods.AddHandler(this);
        _replicaSets.AddHandler(this);
        _deployments.AddHandler(this);
        _statefulSets.AddHandler(this);
    }

    public string Name => "disruption";

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(_budgets.WaitForSyncAsync(ct), _pods.WaitForSyncAsync(ct), _replicaSets.WaitForSyncAsync(ct),
            _deployments.WaitForSyncAsync(ct), _statefulSets.WaitForSyncAsync(ct));
        await RunWorkersAsync(2, ct);
    }

    public void OnAdd(V1PodDisruptionBudget obj) => Queue.Add(ObjectKeys.Of(obj));

    public void OnUpdate(V1PodDisruptionBudget old, V1PodDisruptionBudget obj) => Queue.Add(ObjectKeys.Of(obj));

    public void OnDelete(V1PodDisruptionBudget obj)
    {
    }

    public void OnAdd(V1Pod obj) => EnqueueBudgetsOf(obj, null);

    public void OnUpdate(V1Pod old, V1Pod obj) => EnqueueBudgetsOf(obj, old);

    public void OnDelete(V1Pod obj) => EnqueueBudgetsOf(obj, null);

    // A controller's scale is the denominator of percentages and maxUnavailable: its budgets follow it.
    public void OnAdd(V1ReplicaSet obj) => EnqueueNamespace(obj.Metadata.NamespaceProperty);

    public void OnUpdate(V1ReplicaSet old, V1ReplicaSet obj) => EnqueueIfScaled(old.Spec?.Replicas, obj.Spec?.Replicas, obj.Metadata.NamespaceProperty);

    public void OnDelete(V1ReplicaSet obj) => EnqueueNamespace(obj.Metadata.NamespaceProperty);

    public void OnAdd(V1Deployment obj) => EnqueueNamespace(obj.Metadata.NamespaceProperty);

    public void OnUpdate(V1Deployment old, V1Deployment obj) => EnqueueIfScaled(old.Spec?.Replicas, obj.Spec?.Replicas, obj.Metadata.NamespaceProperty);

    public void OnDelete(V1Deployment obj) => EnqueueNamespace(obj.Metadata.NamespaceProperty);

    public void OnAdd(V1StatefulSet obj) => EnqueueNamespace(obj.Metadata.NamespaceProperty);

    public void OnUpdate(V1StatefulSet old, V1StatefulSet obj) => EnqueueIfScaled(old.Spec?.Replicas, obj.Spec?.Replicas, obj.Metadata.NamespaceProperty);

    public void OnDelete(V1StatefulSet obj) => EnqueueNamespace(obj.Metadata.NamespaceProperty);

    public override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var pdb = _budgets.Get(ns, name);
        if (pdb is null)
        {
            return;
        }

        var selector = LabelSelector.FromApi(pdb.Spec?.Selector);
        var pods = _pods.List(ns).Where(p => selector.Matches(p.Metadata.Labels)).ToList();
        var now = Time.GetUtcNow().UtcDateTime;
        var expected = ExpectedPods(pdb, pods);
        V1PodDisruptionBudgetStatus status;
        DateTime? recheck = null;
        if (expected.Error is { } error)
        {
            _events.Record(pdb, EventRecorder.Warning, "CalculateExpectedPodCountFailed", "Failed to calculate the number of expected pods: " + error);
            status = FailSafe(pdb, error, now);
        }
        else
        {
            if (expected.Unmanaged.Count > 0)
            {
                _events.Record(pdb, EventRecorder.Warning, "UnmanagedPods",
                    $"Pods selected by this PodDisruptionBudget (selector: {Printed(pdb.Spec?.Selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.");
            }

            var (disrupted, next) = StillDisrupted(pdb, pods, now);
            recheck = next;
            status = BudgetMath.Status(pdb, pods, expected.Count, expected.DesiredHealthy, disrupted, now);
        }

        if (!ObjectCopy.SameJson(WithoutTimes(status), WithoutTimes(pdb.Status)))
        {
            var updated = ObjectCopy.Clone(pdb);
            updated.Status = status;
            await _client.PolicyV1.ReplaceNamespacedPodDisruptionBudgetStatusAsync(updated, name, ns, cancellationToken: ct);
        }

        if (recheck is { } at)
        {
            Queue.AddAfter(key, at - now);
        }
    }

    /// <summary>How many pods the budget expects (the controllers' scale, or the pods themselves for an integer minAvailable) and how many must be healthy.</summary>
    private (int Count, int DesiredHealthy, string? Error, List<string> Unmanaged) ExpectedPods(V1PodDisruptionBudget pdb, List<V1Pod> pods)
    {
        var spec = pdb.Spec ?? new V1PodDisruptionBudgetSpec();
        if (spec.MinAvailable is { } min && int.TryParse(min.Value, out var minCount))
        {
            return (pods.Count, minCount, null, []);
        }

        if (spec.MinAvailable is null && spec.MaxUnavailable is null)
        {
            return (0, 0, null, []);
        }

        var (scale, error, unmanaged) = ControllersScale(pods);
        if (error is not null)
        {
            return (0, 0, error, unmanaged);
        }

        if (spec.MaxUnavailable is { } max)
        {
            var unavailable = BudgetMath.Scaled(max, scale);
            return (scale, Math.Max(scale - unavailable, 0), null, unmanaged);
        }

        return (scale, BudgetMath.Scaled(spec.MinAvailable!, scale), null, unmanaged);
    }

    /// <summary>The sum of the scales of the controllers of <paramref name="pods"/>, each counted once.</summary>
    private (int Scale, string? Error, List<string> Unmanaged) ControllersScale(List<V1Pod> pods)
    {
        // Pods share owners (and ReplicaSets share their Deployment): resolve each owner once, count each controller once.
        var byOwner = new Dictionary<string, (string Uid, int Scale)>(StringComparer.Ordinal);
        var unmanaged = new List<string>();
        foreach (var pod in pods)
        {
            var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
            if (owner is null)
            {
                unmanaged.Add(pod.Metadata.Name);
                continue;
            }

            if (byOwner.ContainsKey(owner.Uid))
            {
                continue;
            }

            if (ScaleOf(owner, pod.Metadata.NamespaceProperty) is not { } found)
            {
                return (0, $"found no controllers for pod \"{pod.Metadata.Name}\"", unmanaged);
            }

            byOwner[owner.Uid] = found;
        }

        return (byOwner.Values.DistinctBy(c => c.Uid).Sum(c => c.Scale), null, unmanaged);
    }

    /// <summary>A pod's controller and its desired replicas: a Deployment through its ReplicaSet, a ReplicaSet, a StatefulSet.</summary>
    private (string Uid, int Scale)? ScaleOf(V1OwnerReference owner, string ns)
    {
        switch (owner.Kind)
        {
            case "ReplicaSet" when _replicaSets.Get(ns, owner.Name) is { } rs && rs.Metadata.Uid == owner.Uid:
                var parent = rs.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == "Deployment");
                if (parent is not null && _deployments.Get(ns, parent.Name) is { } deployment && deployment.Metadata.Uid == parent.Uid)
                {
                    return (deployment.Metadata.Uid, deployment.Spec?.Replicas ?? 1);
                }

                return (rs.Metadata.Uid, rs.Spec?.Replicas ?? 1);
            case "StatefulSet" when _statefulSets.Get(ns, owner.Name) is { } sts && sts.Metadata.Uid == owner.Uid:
                return (sts.Metadata.Uid, sts.Spec?.Replicas ?? 1);
            default:
                return null;
        }
    }

    /// <summary>The evictions still awaiting their pod's deletion, and when the first of them times out.</summary>
    private (Dictionary<string, DateTime> Disrupted, DateTime? Recheck) StillDisrupted(V1PodDisruptionBudget pdb, List<V1Pod> pods, DateTime now)
    {
        var result = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        DateTime? recheck = null;
        var recorded = pdb.Status?.DisruptedPods;
        if (recorded is null || recorded.Count == 0)
        {
            return (result, null);
        }

        foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            if (!recorded.TryGetValue(pod.Metadata.Name, out var recordedAt) || recordedAt is not { } at)
            {
                continue;
            }

            var expectedDeletion = at.ToUniversalTime() + DeletionTimeout;
            if (expectedDeletion < now)
            {
                _events.Record(pod, EventRecorder.Warning, "NotDeleted", $"Pod was expected by PDB {pdb.Metadata.NamespaceProperty}/{pdb.Metadata.Name} to be deleted but it wasn't");
                continue;
            }

            result[pod.Metadata.Name] = at;
            recheck = recheck is null || expectedDeletion < recheck ? expectedDeletion : recheck;
        }

        return (result, recheck);
    }

    /// <summary>When the expected count cannot be worked out: no disruption allowed, and the reason in the condition.</summary>
    private static V1PodDisruptionBudgetStatus FailSafe(V1PodDisruptionBudget pdb, string error, DateTime now)
    {
        var status = ObjectCopy.Clone(pdb.Status ?? new V1PodDisruptionBudgetStatus());
        status.DisruptionsAllowed = 0;
        status.ObservedGeneration = pdb.Metadata.Generation;
        status.Conditions = BudgetMath.SetCondition(status.Conditions, "False", "SyncFailed", error, status.ObservedGeneration, now);
        return status;
    }

    private static object? WithoutTimes(V1PodDisruptionBudgetStatus? status) => status is null ? null : new
    {
        status.ObservedGeneration,
        status.DisruptionsAllowed,
        status.CurrentHealthy,
        status.DesiredHealthy,
        status.ExpectedPods,
        DisruptedPods = status.DisruptedPods?.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).ToList(),
        Conditions = status.Conditions?.Select(c => new { c.Type, c.Status, c.Reason, c.Message, c.ObservedGeneration }).ToList(),
    };

    private static string Printed(V1LabelSelector? selector) =>
        LabelSelector.FromApi(selector).ToString() is { Length: > 0 } text ? text : "<none>";

    private void EnqueueBudgetsOf(V1Pod pod, V1Pod? old)
    {
        if (_budgets.IsEmpty)
        {
            return;
        }

        foreach (var pdb in _budgets.List(pod.Metadata.NamespaceProperty))
        {
            var selector = LabelSelector.FromApi(pdb.Spec?.Selector);
            if (selector.Matches(pod.Metadata.Labels) || (old is not null && selector.Matches(old.Metadata.Labels)))
            {
                Queue.Add(ObjectKeys.Of(pdb));
            }
        }
    }

    private void EnqueueIfScaled(int? before, int? after, string ns)
    {
        if (before != after)
        {
            EnqueueNamespace(ns);
        }
    }

    private void EnqueueNamespace(string ns)
    {
        if (_budgets.IsEmpty)
        {
            return;
        }

        foreach (var pdb in _budgets.List(ns))
        {
            Queue.Add(ObjectKeys.Of(pdb));
        }
    }
}
