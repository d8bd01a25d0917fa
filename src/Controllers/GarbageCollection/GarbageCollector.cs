using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.GarbageCollection;

/// <summary>
/// Deletes objects whose owners are gone and carries out the two deletion finalizers, as
/// kube-controller-manager's garbage collector: background (owner gone → dependents deleted),
/// foreground (<c>foregroundDeletion</c>: dependents that block owner deletion go first, then the
/// owner) and orphan (<c>orphan</c>: dependents lose their owner reference, then the owner goes).
/// It watches every resource through shared informers and keeps a uid → object index and an
/// owner uid → dependents index. Keys are "d|resource|ns/name" (check a dependent) and
/// "o|resource|ns/name" (process a deleting owner).
/// </summary>
public sealed partial class GarbageCollector : Reconciler, IController, IInformerHandler<IKubernetesObject<V1ObjectMeta>>
{
    public const string OrphanFinalizer = "orphan";
    public const string ForegroundFinalizer = "foregroundDeletion";

    private readonly InformerFactory _informers;
    private readonly ResourceRegistry _registry;
    private readonly Dictionary<string, IInformer> _byResource = [];
    private readonly Dictionary<Type, string> _resourceByModel = [];
    private readonly ConcurrentDictionary<string, (string Resource, string Key)> _byUid = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _dependents = new();

    public GarbageCollector(InformerFactory informers, ResourceRegistry registry, TimeProvider time, ILogger<GarbageCollector> log)
        : base(time, log)
    {
        _informers = informers;
        _registry = registry;
        foreach (var type in registry.All.Where(t => t.StorageOverride is null && !t.IsVirtual && t.Plural != "events"))
        {
            var informer = informers.ForType(type);
            _byResource[type.StorageResource] = informer;
            _resourceByModel[type.ClrType] = type.StorageResource;
            informer.AddHandler(this);
        }
    }

    public string Name => "garbage-collector";

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(_byResource.Values.Select(i => i.WaitForSyncAsync(ct)));
        foreach (var (resource, informer) in _byResource)
        {
            foreach (var o in informer.Objects())
            {
                if (o.Metadata.OwnerReferences is { Count: > 0 })
                {
                    Queue.Add($"d|{resource}|{ObjectKeys.Of(o)}");
                }

                if (IsDeletingWithFinalizer(o))
                {
                    Queue.Add($"o|{resource}|{ObjectKeys.Of(o)}");
                }
            }
        }

        await RunWorkersAsync(4, ct);
    }

    public void OnAdd(IKubernetesObject<V1ObjectMeta> obj) => Observe(null, obj);

    public void OnUpdate(IKubernetesObject<V1ObjectMeta> old, IKubernetesObject<V1ObjectMeta> obj) => Observe(old, obj);

    public void OnDelete(IKubernetesObject<V1ObjectMeta> obj)
    {
        var uid = obj.Metadata.Uid;
        var resource = ResourceOf(obj);
        _byUid.TryRemove(uid, out _);
        foreach (var r in obj.Metadata.OwnerReferences ?? [])
        {
            if (_dependents.TryGetValue(r.Uid, out var set))
            {
                set.TryRemove($"{resource}|{ObjectKeys.Of(obj)}", out _);
            }

            // An owner waiting in foreground deletion may now be free to go.
            if (_byUid.TryGetValue(r.Uid, out var owner))
            {
                Queue.Add($"o|{owner.Resource}|{owner.Key}");
            }
        }

        if (_dependents.TryGetValue(uid, out var dependents))
        {
            foreach (var d in dependents.Keys)
            {
                Queue.Add("d|" + d);
            }
        }
    }

    private void Observe(IKubernetesObject<V1ObjectMeta>? old, IKubernetesObject<V1ObjectMeta> obj)
    {
        var resource = ResourceOf(obj);
        var key = ObjectKeys.Of(obj);
        _byUid[obj.Metadata.Uid] = (resource, key);
        foreach (var r in old?.Metadata.OwnerReferences ?? [])
        {
            if (_dependents.TryGetValue(r.Uid, out var set))
            {
                set.TryRemove($"{resource}|{key}", out _);
            }
        }

        foreach (var r in obj.Metadata.OwnerReferences ?? [])
        {
            _dependents.GetOrAdd(r.Uid, _ => new ConcurrentDictionary<string, byte>())[$"{resource}|{key}"] = 0;
        }

        // As upstream's graph builder: a dependent is checked when it appears or its owner references
        // change (and again when an owner goes). Every pod status write and node Lease renewal used to
        // queue a check that could not change anything.
        if (obj.Metadata.OwnerReferences is { Count: > 0 } && (old is null || !SameOwners(old.Metadata.OwnerReferences, obj.Metadata.OwnerReferences)))
        {
            Queue.Add($"d|{resource}|{key}");
        }

        if (IsDeletingWithFinalizer(obj))
        {
            Queue.Add($"o|{resource}|{key}");
        }

        // Dependents that were waiting for this owner to appear in the cache can be re-checked.
        if (old is null && _dependents.TryGetValue(obj.Metadata.Uid, out var dependents))
        {
            foreach (var d in dependents.Keys)
            {
                Queue.Add("d|" + d);
            }
        }
    }

    private static bool SameOwners(IList<V1OwnerReference>? a, IList<V1OwnerReference>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        for (var i = 0; i < (a?.Count ?? 0); i++)
        {
            var (x, y) = (a![i], b![i]);
            if (x.Uid != y.Uid || x.Name != y.Name || x.Kind != y.Kind || x.ApiVersion != y.ApiVersion
                || x.Controller != y.Controller || x.BlockOwnerDeletion != y.BlockOwnerDeletion)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Every informer event passes here: a lookup, not a scan of the registry.</summary>
    private string ResourceOf(IKubernetesObject<V1ObjectMeta> obj) => _resourceByModel[obj.GetType()];

    private static bool IsDeletingWithFinalizer(IKubernetesObject<V1ObjectMeta> o) =>
        o.Metadata.DeletionTimestamp is not null &&
        o.Metadata.Finalizers is { } f && (f.Contains(OrphanFinalizer) || f.Contains(ForegroundFinalizer));

    [LoggerMessage(LogLevel.Information, "Deleting {Resource} {Key}: its owners are gone")]
    private static partial void LogDeletingDangling(ILogger logger, string resource, string key);
}
