using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Api.Lifecycle;

/// <summary>
/// Empties Terminating namespaces: deletes every object in them, and when nothing is left, removes
/// the namespace itself. Objects held by finalizers keep the namespace Terminating, and its status
/// conditions name them. (The controller manager's namespace controller takes this over when
/// controllers run out of process; until then the API server does it itself.)
/// </summary>
public sealed partial class NamespaceCleanup(
    ObjectStore store, ResourceHandler handler, ResourceRegistry registry, ApiReadiness readiness, TimeProvider time,
    ILogger<NamespaceCleanup> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!readiness.IsReady)
            {
                continue;
            }

            foreach (var ns in store.List("namespaces", null).Items.Where(n => n.Object.Metadata.DeletionTimestamp is not null))
            {
                try
                {
                    await CleanAsync(ns, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogCleanupFailed(e, ns.Name);
                }
            }
        }
    }

    private async Task CleanAsync(StoredObject ns, CancellationToken ct)
    {
        var remaining = new List<string>();
        var blocking = new List<string>();
        foreach (var type in registry.All.Where(t => t.Namespaced && t.StorageOverride is null))
        {
            foreach (var o in store.List(type.StorageResource, ns.Name).Items)
            {
                if (o.Object.Metadata.DeletionTimestamp is null)
                {
                    try
                    {
                        await handler.DeleteObjectAsync(type, new RequestInfo(type.Group, type.Version, ns.Name, type.Plural, o.Name, null),
                            new V1DeleteOptions { PropagationPolicy = "Background" }, ct);
                    }
                    catch (ApiError e) when (e.Code == 404)
                    {
                        continue;
                    }
                }

                if (store.Get(type.StorageResource, ns.Name, o.Name) is { } still)
                {
                    remaining.Add($"{type.GroupResource}");
                    if (still.Object.Metadata.Finalizers is { Count: > 0 } f)
                    {
                        blocking.AddRange(f.Select(x => $"{x} in 1 resource instances"));
                    }
                }
            }
        }

        var nsType = registry.Find("", "v1", "namespaces")!;
        var info = new RequestInfo("", "v1", null, "namespaces", ns.Name, null);
        if (remaining.Count > 0)
        {
            await SetConditionsAsync(nsType, info, remaining, blocking, ct);
            return;
        }

        var current = (V1Namespace)ns.Object;
        if (current.Metadata.Finalizers is { Count: > 0 })
        {
            return;
        }

        await store.DeleteAsync("namespaces", "", ns.Name, ns.ResourceVersion, ct);
        LogNamespaceRemoved(ns.Name);
    }

    private async Task SetConditionsAsync(ResourceType nsType, RequestInfo info, List<string> remaining, List<string> blocking, CancellationToken ct)
    {
        var counts = remaining.GroupBy(r => r).Select(g => $"{g.Key} has {g.Count()} resource instances");
        var conditions = new List<V1NamespaceCondition>
        {
            new() { Type = "NamespaceContentRemaining", Status = "True", Reason = "SomeResourcesRemain", Message = "Some resources are remaining: " + string.Join(", ", counts) },
        };
        if (blocking.Count > 0)
        {
            conditions.Add(new() { Type = "NamespaceFinalizersRemaining", Status = "True", Reason = "SomeFinalizersRemain", Message = "Some content in the namespace has finalizers remaining: " + string.Join(", ", blocking.Distinct()) });
        }

        var current = store.Get("namespaces", "", info.Name!);
        if (current is null)
        {
            return;
        }

        var ns = (V1Namespace)store.Codec.Copy(current);
        var existing = ns.Status?.Conditions ?? [];
        if (existing.Count == conditions.Count && existing.Zip(conditions).All(p => p.First.Type == p.Second.Type && p.First.Message == p.Second.Message))
        {
            return;
        }

        foreach (var c in conditions)
        {
            c.LastTransitionTime = time.GetUtcNow().UtcDateTime;
        }

        ns.Status ??= new V1NamespaceStatus { Phase = "Terminating" };
        ns.Status.Conditions = conditions;
        try
        {
            await store.UpdateAsync("namespaces", ns, current.ResourceVersion, ct);
        }
        catch (StoreConflictException)
        {
            // Next pass.
        }
    }

    [LoggerMessage(LogLevel.Warning, "Cleaning namespace {Namespace} failed; retrying")]
    private partial void LogCleanupFailed(Exception e, string @namespace);

    [LoggerMessage(LogLevel.Information, "Namespace {Namespace} removed")]
    private partial void LogNamespaceRemoved(string @namespace);
}
