using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Namespaces;

/// <summary>
/// Empties Terminating namespaces: deletes every object in them; while anything remains (for
/// example held by a finalizer) the namespace's status conditions say what; once empty, it removes
/// the <c>kubernetes</c> finalizer through <c>namespaces/{name}/finalize</c> and the API removes the namespace.
/// </summary>
public sealed partial class NamespaceController : Reconciler, IController, IInformerHandler<V1Namespace>
{
    private readonly IKubernetes _client;
    private readonly ResourceClient _resources;
    private readonly ResourceRegistry _registry;
    private readonly Informer<V1Namespace> _namespaces;

    public NamespaceController(IKubernetes client, InformerFactory informers, ResourceRegistry registry, TimeProvider time, ILogger<NamespaceController> log)
        : base(time, log)
    {
        _client = client;
        _resources = informers.Client;
        _registry = registry;
        _namespaces = informers.For<V1Namespace>();
        _namespaces.AddHandler(this);
    }

    public string Name => "namespace";

    public async Task RunAsync(CancellationToken ct)
    {
        await _namespaces.WaitForSyncAsync(ct);
        await RunWorkersAsync(2, ct);
    }

    public void OnAdd(V1Namespace obj) => Enqueue(obj);

    public void OnUpdate(V1Namespace old, V1Namespace obj) => Enqueue(obj);

    public void OnDelete(V1Namespace obj)
    {
    }

    private void Enqueue(V1Namespace ns)
    {
        if (ns.Metadata.DeletionTimestamp is not null)
        {
            Queue.Add(ns.Metadata.Name);
        }
    }

    public override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var ns = _namespaces.Get(key);
        if (ns?.Metadata.DeletionTimestamp is null)
        {
            return;
        }

        var remaining = new Dictionary<string, int>();
        var finalizers = new Dictionary<string, int>();
        var held = new List<string>();
        foreach (var type in _registry.All.Where(t => t.Namespaced && t.StorageOverride is null && !t.IsVirtual))
        {
            var page = await _resources.ListAsync<JsonObject>(type, key, null, null, null, 0, null, ct);
            foreach (var item in page.Items)
            {
                var meta = item["metadata"]!;
                var name = meta["name"]!.GetValue<string>();
                if (meta["deletionTimestamp"] is null)
                {
                    await _resources.DeleteAsync(type, key, name, new V1DeleteOptions { PropagationPolicy = "Background" }, ct);
                }

                remaining[type.GroupResource] = remaining.GetValueOrDefault(type.GroupResource) + 1;
                foreach (var f in meta["finalizers"]?.AsArray() ?? [])
                {
                    var fs = f!.GetValue<string>();
                    finalizers[fs] = finalizers.GetValueOrDefault(fs) + 1;
                    held.Add($"{type.GroupResource}/{name}");
                }
            }
        }

        if (remaining.Count > 0)
        {
            await ReportRemainingAsync(ns, remaining, finalizers, held, ct);
            Queue.AddAfter(key, TimeSpan.FromSeconds(1));
            return;
        }

        var spec = ns.Spec?.Finalizers?.Where(f => f != "kubernetes").ToList();
        var copy = new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = ns.Metadata.Name, ResourceVersion = ns.Metadata.ResourceVersion },
            Spec = new V1NamespaceSpec { Finalizers = spec },
        };
        await _client.CoreV1.ReplaceNamespaceFinalizeAsync(copy, key, cancellationToken: ct);
        LogFinalized(Log, key);
    }

    private async Task ReportRemainingAsync(V1Namespace ns, Dictionary<string, int> remaining, Dictionary<string, int> finalizers,
        List<string> held, CancellationToken ct)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var conditions = new List<V1NamespaceCondition>
        {
            new()
            {
                Type = "NamespaceContentRemaining", Status = "True", Reason = "SomeResourcesRemain", LastTransitionTime = now,
                Message = "Some resources are remaining: " + string.Join(", ", remaining.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} has {r.Value} resource instances")),
            },
            new()
            {
                Type = "NamespaceFinalizersRemaining", Status = finalizers.Count > 0 ? "True" : "False",
                Reason = finalizers.Count > 0 ? "SomeFinalizersRemain" : "ContentHasNoFinalizers", LastTransitionTime = now,
                Message = finalizers.Count > 0
                    ? "Some content in the namespace has finalizers remaining: " + string.Join(", ", finalizers.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} in {f.Value} resource instances")) +
                      $" (held: {string.Join(", ", held.Distinct().Take(10))}{(held.Distinct().Count() > 10 ? ", ..." : "")})"
                    : "All content-preserving finalizers finished",
            },
        };
        var existing = ns.Status?.Conditions ?? [];
        if (conditions.All(c => existing.Any(e => e.Type == c.Type && e.Status == c.Status && e.Message == c.Message)))
        {
            return;
        }

        var patch = new V1Patch(new { status = new { conditions } }, V1Patch.PatchType.MergePatch);
        await _client.CoreV1.PatchNamespaceStatusAsync(patch, ns.Metadata.Name, cancellationToken: ct);
    }

    [LoggerMessage(LogLevel.Information, "Namespace {Namespace} is empty; finalized")]
    private static partial void LogFinalized(ILogger logger, string @namespace);
}
