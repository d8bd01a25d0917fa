using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeWeb.Controllers.Hosting;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Informers;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.ServiceAccounts;

/// <summary>
/// What every namespace holds in Kubernetes: the <c>default</c> ServiceAccount (the serviceaccount
/// controller) and the <c>kube-root-ca.crt</c> ConfigMap with the cluster CA (the root-ca-cert-publisher).
/// Both are recreated if deleted or changed. Keys are namespace names.
/// </summary>
public sealed class NamespaceDefaultsController : Reconciler, IController,
    IInformerHandler<V1Namespace>, IInformerHandler<V1ServiceAccount>, IInformerHandler<V1ConfigMap>
{
    public const string RootCaConfigMap = "kube-root-ca.crt";

    private readonly IKubernetes _client;
    private readonly ControllerManagerOptions _options;
    private readonly Informer<V1Namespace> _namespaces;
    private readonly Informer<V1ServiceAccount> _accounts;
    private readonly Informer<V1ConfigMap> _configMaps;

    public NamespaceDefaultsController(IKubernetes client, InformerFactory informers, ControllerManagerOptions options, TimeProvider time,
        ILogger<NamespaceDefaultsController> log)
        : base(time, log)
    {
        _client = client;
        _options = options;
        _namespaces = informers.For<V1Namespace>();
        _accounts = informers.For<V1ServiceAccount>();
        _configMaps = informers.For<V1ConfigMap>();
        _namespaces.AddHandler(this);
        _accounts.AddHandler(this);
        _configMaps.AddHandler(this);
    }

    public string Name => "namespace-defaults";

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(_namespaces.WaitForSyncAsync(ct), _accounts.WaitForSyncAsync(ct), _configMaps.WaitForSyncAsync(ct));
        await RunWorkersAsync(2, ct);
    }

    public void OnAdd(V1Namespace obj) => Queue.Add(obj.Metadata.Name);

    public void OnUpdate(V1Namespace old, V1Namespace obj) => Queue.Add(obj.Metadata.Name);

    public void OnDelete(V1Namespace obj)
    {
    }

    public void OnAdd(V1ServiceAccount obj)
    {
    }

    public void OnUpdate(V1ServiceAccount old, V1ServiceAccount obj)
    {
    }

    public void OnDelete(V1ServiceAccount obj)
    {
        if (obj.Metadata.Name == "default")
        {
            Queue.Add(obj.Metadata.NamespaceProperty);
        }
    }

    public void OnAdd(V1ConfigMap obj)
    {
    }

    public void OnUpdate(V1ConfigMap old, V1ConfigMap obj)
    {
        if (obj.Metadata.Name == RootCaConfigMap)
        {
            Queue.Add(obj.Metadata.NamespaceProperty);
        }
    }

    public void OnDelete(V1ConfigMap obj)
    {
        if (obj.Metadata.Name == RootCaConfigMap)
        {
            Queue.Add(obj.Metadata.NamespaceProperty);
        }
    }

    public override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var ns = _namespaces.Get("", key);
        if (ns is null || ns.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        try
        {
            if (_accounts.Get(key, "default") is null)
            {
                await _client.CoreV1.CreateNamespacedServiceAccountAsync(
                    new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default" } }, key, cancellationToken: ct);
            }

            if (_options.RootCaPem is { Length: > 0 } ca)
            {
                var existing = _configMaps.Get(key, RootCaConfigMap);
                if (existing is null)
                {
                    await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
                    {
                        Metadata = new V1ObjectMeta
                        {
                            Name = RootCaConfigMap,
                            Annotations = new Dictionary<string, string> { ["kubernetes.io/description"] = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." },
                        },
                        Data = new Dictionary<string, string> { ["ca.crt"] = ca },
                    }, key, cancellationToken: ct);
                }
                else if (existing.Data is null || !existing.Data.TryGetValue("ca.crt", out var current) || current != ca)
                {
                    var patch = new V1Patch(new { data = new Dictionary<string, string> { ["ca.crt"] = ca } }, V1Patch.PatchType.MergePatch);
                    await _client.CoreV1.PatchNamespacedConfigMapAsync(patch, RootCaConfigMap, key, cancellationToken: ct);
                }
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.Forbidden)
        {
            // Already created (cache lag), or the namespace started terminating meanwhile.
        }
    }
}
