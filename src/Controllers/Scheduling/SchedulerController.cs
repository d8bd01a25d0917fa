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

    public SchedulerController(InformerFactory informers, Func<Func<string, V1Pod?>, Scheduler> create, InformerVolumeLister? volumes = null)
    {
        _nodes = informers.For<V1Node>();
        _pods = informers.For<V1Pod>();
        _scheduler = create(_pods.Get);
        _nodes.AddHandler(new Handler<V1Node>(_scheduler.OnNodeAdded, _scheduler.OnNodeUpdated, _scheduler.OnNodeDeleted));
        _pods.AddHandler(new Handler<V1Pod>(_scheduler.OnPodAdded, _scheduler.OnPodUpdated, _scheduler.OnPodDeleted));
        _volumes = volumes;
        if (volumes is not null)
        {
            // A claim bound or a volume created can make a parked pod fit.
            void Retry<T>(T _) => _scheduler.Queue.MoveAllToActiveOrBackoff();
            volumes.Claims.AddHandler(new Handler<V1PersistentVolumeClaim>(Retry, (_, c) => Retry(c), Retry));
            volumes.VolumeInformer.AddHandler(new Handler<V1PersistentVolume>(Retry, (_, v) => Retry(v), Retry));
        }
    }

    private readonly InformerVolumeLister? _volumes;

    public string Name => "scheduler";

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(_nodes.WaitForSyncAsync(ct), _pods.WaitForSyncAsync(ct));
        if (_volumes is not null)
        {
            await _volumes.WaitForSyncAsync(ct);
        }


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

/// <summary>The VolumeBinding plugin's view, from the shared informers.</summary>
internal sealed class InformerVolumeLister(InformerFactory informers) : Plugins.IVolumeLister
{
    public Informer<V1PersistentVolumeClaim> Claims { get; } = informers.For<V1PersistentVolumeClaim>();

    public Informer<V1PersistentVolume> VolumeInformer { get; } = informers.For<V1PersistentVolume>();

    private readonly Informer<V1StorageClass> _classes = informers.For<V1StorageClass>();

    public V1PersistentVolumeClaim? Claim(string ns, string name) => Claims.Get(ns, name);

    public V1PersistentVolume? Volume(string name) => VolumeInformer.Get("", name);

    public V1StorageClass? StorageClass(string name) => _classes.Get("", name);

    public IEnumerable<V1PersistentVolume> Volumes() => VolumeInformer.List();

    public Task WaitForSyncAsync(CancellationToken ct) =>
        Task.WhenAll(Claims.WaitForSyncAsync(ct), VolumeInformer.WaitForSyncAsync(ct), _classes.WaitForSyncAsync(ct));
}
