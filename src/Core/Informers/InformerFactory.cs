using k8s;
using k8s.Models;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Core.Informers;

/// <summary>
/// One shared informer per resource for every controller in the process (client-go's
/// SharedInformerFactory): controllers ask for informers before <see cref="Start"/>, then wait for sync.
/// Cached objects carry no managedFields: they are skipped while decoding (client-go strips them with a transform).
/// </summary>
public sealed class InformerFactory(ResourceClient client, ResourceRegistry registry, TimeProvider time, ILoggerFactory logs)
{
    private readonly Dictionary<Type, object> _informers = [];
    private readonly List<Func<CancellationToken, Task>> _runs = [];
    private readonly Lock _lock = new();
    private CancellationToken? _started;

    public ResourceClient Client => client;

    /// <summary>The shared informer for the kind modelled by <typeparamref name="T"/> (all namespaces).</summary>
    public Informer<T> For<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            if (_informers.TryGetValue(typeof(T), out var existing))
            {
                return (Informer<T>)existing;
            }

            var type = registry.All.First(t => t.ClrType == typeof(T));
            var informer = new Informer<T>(client, type, time, logs.CreateLogger($"Informer.{type.GroupResource}"),
                withoutManagedFields: true);
            _informers[typeof(T)] = informer;
            _runs.Add(informer.RunAsync);
            if (_started is { } ct)
            {
                _ = Task.Run(() => informer.RunAsync(ct), CancellationToken.None);
            }

            return informer;
        }
    }

    /// <summary>The shared informer of a registry entry, without naming its model type.</summary>
    public IInformer ForType(ResourceType type) =>
        (IInformer)typeof(InformerFactory).GetMethod(nameof(For))!.MakeGenericMethod(type.ClrType).Invoke(this, null)!;

    /// <summary>Starts every informer created so far and any created later.</summary>
    public void Start(CancellationToken ct)
    {
        lock (_lock)
        {
            _started = ct;
            foreach (var run in _runs)
            {
                _ = Task.Run(() => run(ct), CancellationToken.None);
            }
        }
    }
}
