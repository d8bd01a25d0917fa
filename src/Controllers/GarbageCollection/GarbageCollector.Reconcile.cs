using System.Text.Json;
using k8s;
using k8s.Models;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Controllers.GarbageCollection;

public sealed partial class GarbageCollector
{
    public override Task ReconcileAsync(string key, CancellationToken ct)
    {
        var parts = key.Split('|', 3);
        var informer = _byResource[parts[1]];
        var obj = informer.GetObject(parts[2]);
        if (obj is null)
        {
            return Task.CompletedTask;
        }

        return parts[0] == "d" ? ReconcileDependentAsync(informer.Type, obj, ct) : ReconcileOwnerAsync(informer.Type, obj, ct);
    }

    private async Task ReconcileDependentAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct)
    {
        var refs = obj.Metadata.OwnerReferences ?? [];
        if (refs.Count == 0 || obj.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var absent = new List<V1OwnerReference>();
        var waitingForUs = false;
        foreach (var r in refs)
        {
            var owner = await FindOwnerAsync(r, obj.Metadata.NamespaceProperty, ct);
            if (owner is null)
            {
                absent.Add(r);
            }
            else if (r.BlockOwnerDeletion == true && owner.Metadata.DeletionTimestamp is not null &&
                     owner.Metadata.Finalizers?.Contains(ForegroundFinalizer) == true)
            {
                waitingForUs = true;
            }
        }

        var ns = obj.Metadata.NamespaceProperty;
        if (absent.Count == refs.Count)
        {
            LogDeletingDangling(Log, type.GroupResource, ObjectKeys.Of(obj));
            await _informers.Client.DeleteAsync(type, ns, obj.Metadata.Name, new V1DeleteOptions
            {
                PropagationPolicy = "Background",
                Preconditions = new V1Preconditions { Uid = obj.Metadata.Uid },
            }, ct);
            return;
        }

        if (absent.Count > 0)
        {
            // Drop only the dangling references; the object still has a live owner.
            var patch = JsonSerializer.Serialize(new { metadata = new { ownerReferences = absent.Select(a => new Dictionary<string, string> { ["$patch"] = "delete", ["uid"] = a.Uid }) } });
            await _informers.Client.PatchAsync(type, ns, obj.Metadata.Name, patch, "application/strategic-merge-patch+json", ct);
            return;
        }

        if (waitingForUs)
        {
            await _informers.Client.DeleteAsync(type, ns, obj.Metadata.Name, new V1DeleteOptions
            {
                PropagationPolicy = "Foreground",
                Preconditions = new V1Preconditions { Uid = obj.Metadata.Uid },
            }, ct);
        }
    }

    private async Task ReconcileOwnerAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> owner, CancellationToken ct)
    {
        if (!IsDeletingWithFinalizer(owner))
        {
            return;
        }

        var dependents = Dependents(owner.Metadata.Uid).ToList();
        var finalizers = owner.Metadata.Finalizers!.ToList();
        if (finalizers.Contains(OrphanFinalizer))
        {
            foreach (var (depType, dep) in dependents)
            {
                var patch = JsonSerializer.Serialize(new { metadata = new { ownerReferences = new[] { new Dictionary<string, string> { ["$patch"] = "delete", ["uid"] = owner.Metadata.Uid } } } });
                await _informers.Client.PatchAsync(depType, dep.Metadata.NamespaceProperty, dep.Metadata.Name, patch, "application/strategic-merge-patch+json", ct);
            }

            finalizers.Remove(OrphanFinalizer);
            await SetFinalizersAsync(type, owner, finalizers, ct);
            return;
        }

        var blocking = 0;
        foreach (var (depType, dep) in dependents)
        {
            var reference = dep.Metadata.OwnerReferences!.First(r => r.Uid == owner.Metadata.Uid);
            if (reference.BlockOwnerDeletion == true)
            {
                blocking++;
            }

            if (dep.Metadata.DeletionTimestamp is null)
            {
                await _informers.Client.DeleteAsync(depType, dep.Metadata.NamespaceProperty, dep.Metadata.Name, new V1DeleteOptions
                {
                    PropagationPolicy = "Foreground",
                    Preconditions = new V1Preconditions { Uid = dep.Metadata.Uid },
                }, ct);
            }
        }

        if (blocking == 0)
        {
            finalizers.Remove(ForegroundFinalizer);
            await SetFinalizersAsync(type, owner, finalizers, ct);
        }
    }

    private IEnumerable<(ResourceType Type, IKubernetesObject<V1ObjectMeta> Object)> Dependents(string ownerUid)
    {
        if (!_dependents.TryGetValue(ownerUid, out var set))
        {
            yield break;
        }

        foreach (var d in set.Keys)
        {
            var parts = d.Split('|', 2);
            if (_byResource.TryGetValue(parts[0], out var informer) && informer.GetObject(parts[1]) is { } o &&
                o.Metadata.OwnerReferences?.Any(r => r.Uid == ownerUid) == true)
            {
                yield return (informer.Type, o);
            }
        }
    }

    /// <summary>The live owner, from the caches first and from the API when the cache does not know it (it may lag).</summary>
    private async Task<IKubernetesObject<V1ObjectMeta>?> FindOwnerAsync(V1OwnerReference r, string? dependentNamespace, CancellationToken ct)
    {
        if (_byUid.TryGetValue(r.Uid, out var hit) && _byResource.TryGetValue(hit.Resource, out var informer) &&
            informer.GetObject(hit.Key) is { } cached && cached.Metadata.Uid == r.Uid)
        {
            return cached;
        }

        var type = _registry.FindByApiVersionKind(r.ApiVersion, r.Kind);
        if (type is null)
        {
            return null;
        }

        var ns = type.Namespaced ? dependentNamespace : null;
        var live = await _informers.Client.GetAsync<System.Text.Json.Nodes.JsonObject>(type, ns, r.Name, ct);
        if (live?["metadata"]?["uid"]?.GetValue<string>() != r.Uid)
        {
            return null;
        }

        return (IKubernetesObject<V1ObjectMeta>)live!.Deserialize(type.ClrType, KubeJson.Options)!;
    }

    private Task SetFinalizersAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> owner, List<string> finalizers, CancellationToken ct)
    {
        // Guarded by the resourceVersion: a concurrent change makes this a conflict and the key is retried.
        var patch = JsonSerializer.Serialize(new { metadata = new { finalizers, resourceVersion = owner.Metadata.ResourceVersion } });
        return _informers.Client.PatchAsync(type, owner.Metadata.NamespaceProperty, owner.Metadata.Name, patch, "application/merge-patch+json", ct);
    }
}
