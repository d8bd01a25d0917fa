using k8s.Models;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Informers;

namespace KubeWeb.Controllers.Scheduling;

/// <summary>
/// The scheduler as one of the controller manager's controllers: feeds the shared node and pod
/// informers into a <see cref="Scheduler"/>, waits for both caches, then runs the scheduling loop
/// while this process leads.
/// </summary>
internal sealed class SchedulerController : IController
{
    private readonly Informer<V1Node> _nodes;
    private readonly Informer<V1Pod> _pods;
    private readonly Scheduler _scheduler;

    public SchedulerController(InformerFactory informers, Func<Func<string, V1Pod?>, Scheduler> create)
    {
        _nodes = informers.For<V1Node>();
        _pods = informers.For<V1Pod>();
        _scheduler = create(_pods.Get);
        _nodes.AddHandler(new Handler<V1Node>(_scheduler.OnNodeAdded, _scheduler.OnNodeUpdated, _scheduler.OnNodeDeleted));
        _pods.AddHandler(new Handler<V1Pod>(_scheduler.OnPodAdded, _scheduler.OnPodUpdated, _scheduler.OnPodDeleted));
    }

    public string Name => "scheduler";

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(_nodes.WaitForSyncAsync(ct), _pods.WaitForSyncAsync(ct));

        // Informers do not replay to late handlers; upserting what they hold makes the start order irrelevant.
        foreach (var node in _nodes.List())
        {
            _scheduler.OnNodeAdded(node);
        }

        foreach (var pod in _pods.List())
        {
            _scheduler.OnPodAdded(pod);
        }

        await _scheduler.RunAsync(ct);
    }

    private sealed class Handler<T>(Action<T> add, Action<T, T> update, Action<T> delete) : IInformerHandler<T>
    {
        public void OnAdd(T obj) => add(obj);

        public void OnUpdate(T old, T obj) => update(old, obj);

        public void OnDelete(T obj) => delete(obj);
    }
}
