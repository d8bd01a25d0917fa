using k8s;
using k8s.Models;
using KubeWeb.Controllers.Hosting;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Events;
using KubeWeb.Core.Informers;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.NodeLifecycle;

/// <summary>
/// Watches node heartbeats (Leases in <c>kube-node-lease</c>). A node whose lease has not been
/// renewed within the grace period gets Ready=Unknown and the <c>node.kubernetes.io/unreachable</c>
/// taints; a node reporting Ready=False gets the <c>not-ready</c> taints; both go when the node is
/// healthy again. Pods on a node with a NoExecute taint are evicted at once unless they tolerate it,
/// or after their tolerationSeconds (the taint manager). Keys are node names.
/// </summary>
public sealed partial class NodeLifecycleController : Reconciler, IController,
    IInformerHandler<V1Node>, IInformerHandler<V1Lease>, IInformerHandler<V1Pod>
{
    public const string Unreachable = "node.kubernetes.io/unreachable";
    public const string NotReady = "node.kubernetes.io/not-ready";
    public const string Unschedulable = "node.kubernetes.io/unschedulable";

    private readonly IKubernetes _client;
    private readonly EventRecorder _events;
    private readonly ControllerManagerOptions _options;
    private readonly Informer<V1Node> _nodes;
    private readonly Informer<V1Lease> _leases;
    private readonly Informer<V1Pod> _pods;

    public NodeLifecycleController(IKubernetes client, InformerFactory informers, EventRecorder events, ControllerManagerOptions options,
        TimeProvider time, ILogger<NodeLifecycleController> log)
        : base(time, log)
    {
        _client = client;
        _events = events;
        _options = options;
        _nodes = informers.For<V1Node>();
        _leases = informers.For<V1Lease>();
        _pods = informers.For<V1Pod>();
        _nodes.AddHandler(this);
        _leases.AddHandler(this);
        _pods.AddHandler(this);
    }

    public string Name => "node-lifecycle";

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(_nodes.WaitForSyncAsync(ct), _leases.WaitForSyncAsync(ct), _pods.WaitForSyncAsync(ct));
        var workers = RunWorkersAsync(2, ct);

        // Lease expiry is a matter of time passing, not of events: re-check every node periodically.
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, _options.NodeMonitorGracePeriod.Ticks / 5));
        using var timer = new PeriodicTimer(period, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                foreach (var n in _nodes.List())
                {
                    Queue.Add(n.Metadata.Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await workers;
    }

    public void OnAdd(V1Node obj) => Queue.Add(obj.Metadata.Name);

    public void OnUpdate(V1Node old, V1Node obj) => Queue.Add(obj.Metadata.Name);

    public void OnDelete(V1Node obj)
    {
    }

    public void OnAdd(V1Lease obj) => EnqueueLease(obj);

    public void OnUpdate(V1Lease old, V1Lease obj) => EnqueueLease(obj);

    public void OnDelete(V1Lease obj) => EnqueueLease(obj);

    public void OnAdd(V1Pod obj) => EnqueuePod(obj);

    public void OnUpdate(V1Pod old, V1Pod obj) => EnqueuePod(obj);

    public void OnDelete(V1Pod obj)
    {
    }

    private void EnqueueLease(V1Lease lease)
    {
        if (lease.Metadata.NamespaceProperty == "kube-node-lease")
        {
            Queue.Add(lease.Metadata.Name);
        }
    }

    private void EnqueuePod(V1Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName) && _nodes.Get("", pod.Spec.NodeName)?.Spec?.Taints?.Any(t => t.Effect == "NoExecute") == true)
        {
            Queue.Add(pod.Spec.NodeName);
        }
    }
}
