using k8s;
using k8s.Models;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Events;
using KubeWeb.Core.Informers;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Volumes;

/// <summary>Settings of the PV controller and its local-path provisioner.</summary>
public sealed record VolumeControllerOptions
{
    /// <summary>The folder on every node under which the local-path provisioner creates volumes (<c>DATA_DIR/storage</c>).</summary>
    public string StorageRoot { get; init; } = "/var/lib/kubeweb/storage";
}

/// <summary>
/// kube-controller-manager's persistentvolume-binder, pvc-protection and pv-protection controllers,
/// with k3s's local-path provisioner built in. Keys are <c>claim:NS/NAME</c> or <c>volume:NAME</c>.
/// Claims bind to the best matching Available volume (or the one either side names), volumes
/// follow their claim through Available → Bound → Released and are then kept (Retain) or deleted
/// (Delete); protection finalizers are lifted once nothing uses the object.
/// Split: <c>.Claims</c> (claim sync and binding), <c>.Volumes</c> (volume sync, reclaim,
/// protection), <c>.Provisioning</c> (local-path).
/// </summary>
public sealed partial class PersistentVolumeController : Reconciler, IController,
    IInformerHandler<V1PersistentVolumeClaim>, IInformerHandler<V1PersistentVolume>, IInformerHandler<V1Pod>
{
    public const string BindCompleted = "pv.kubernetes.io/bind-completed";
    public const string BoundByController = "pv.kubernetes.io/bound-by-controller";
    public const string ProvisionedBy = "pv.kubernetes.io/provisioned-by";
    public const string SelectedNode = "volume.kubernetes.io/selected-node";
    public const string StorageProvisioner = "volume.kubernetes.io/storage-provisioner";
    public const string BetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner";
    public const string PvcProtection = "kubernetes.io/pvc-protection";
    public const string PvProtection = "kubernetes.io/pv-protection";

    /// <summary>The provisioner name of the default <c>local-path</c> StorageClass.</summary>
    public const string LocalPathProvisioner = "kubeweb.io/local-path";

    /// <summary>Held by local-path volumes until the node's agent has removed their folder.</summary>
    public const string LocalPathCleanup = Core.Agents.LocalVolume.CleanupFinalizer;

    private const string ClaimPrefix = "claim:";
    private const string VolumePrefix = "volume:";

    private readonly IKubernetes _client;
    private readonly VolumeControllerOptions _options;
    private readonly EventRecorder _events;
    private readonly Informer<V1PersistentVolumeClaim> _claims;
    private readonly Informer<V1PersistentVolume> _volumes;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1StorageClass> _classes;
    private readonly Informer<V1Node> _nodes;

    public PersistentVolumeController(IKubernetes client, InformerFactory informers, VolumeControllerOptions options, EventRecorder events,
        TimeProvider time, ILogger<PersistentVolumeController> log)
        : base(time, log)
    {
        _client = client;
        _options = options;
        _events = events;
        _claims = informers.For<V1PersistentVolumeClaim>();
        _volumes = informers.For<V1PersistentVolume>();
        _pods = informers.For<V1Pod>();
        _classes = informers.For<V1StorageClass>();
        _nodes = informers.For<V1Node>();
        _claims.AddHandler(this);
        _volumes.AddHandler(this);
        _pods.AddHandler(this);
    }

    public string Name => "persistentvolume-binder";

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(_claims.WaitForSyncAsync(ct), _volumes.WaitForSyncAsync(ct), _pods.WaitForSyncAsync(ct),
            _classes.WaitForSyncAsync(ct), _nodes.WaitForSyncAsync(ct));
        foreach (var claim in _claims.List())
        {
            Queue.Add(ClaimKey(claim));
        }

        foreach (var volume in _volumes.List())
        {
            Queue.Add(VolumePrefix + volume.Metadata.Name);
        }

        // One worker: binding decisions read the whole cache, and two at once could pick the same volume.
        await RunWorkersAsync(1, ct);
    }

    public override Task ReconcileAsync(string key, CancellationToken ct) =>
        key.StartsWith(ClaimPrefix, StringComparison.Ordinal)
            ? SyncClaimAsync(ObjectKeys.Split(key[ClaimPrefix.Length..]), ct)
            : SyncVolumeAsync(key[VolumePrefix.Length..], ct);

    public void OnAdd(V1PersistentVolumeClaim obj) => Queue.Add(ClaimKey(obj));

    public void OnUpdate(V1PersistentVolumeClaim old, V1PersistentVolumeClaim obj) => Queue.Add(ClaimKey(obj));

    public void OnDelete(V1PersistentVolumeClaim obj)
    {
        Forget(obj.Metadata.Uid);
        if (!string.IsNullOrEmpty(obj.Spec?.VolumeName))
        {
            Queue.Add(VolumePrefix + obj.Spec.VolumeName);
        }

        // A volume pre-bound or bound to it by claimRef only.
        foreach (var pv in _volumes.List().Where(v => v.Spec?.ClaimRef?.Name == obj.Metadata.Name && v.Spec.ClaimRef.NamespaceProperty == obj.Metadata.NamespaceProperty))
        {
            Queue.Add(VolumePrefix + pv.Metadata.Name);
        }
    }

    public void OnAdd(V1PersistentVolume obj) => VolumeChanged(obj);

    public void OnUpdate(V1PersistentVolume old, V1PersistentVolume obj) => VolumeChanged(obj);

    public void OnDelete(V1PersistentVolume obj)
    {
        Forget(obj.Metadata.Uid);
        VolumeChanged(obj);
    }

    public void OnAdd(V1Pod obj) => PodChanged(obj);

    public void OnUpdate(V1Pod old, V1Pod obj) => PodChanged(obj);

    public void OnDelete(V1Pod obj) => PodChanged(obj);

    private void VolumeChanged(V1PersistentVolume pv)
    {
        Queue.Add(VolumePrefix + pv.Metadata.Name);
        if (pv.Spec?.ClaimRef is { } r && !string.IsNullOrEmpty(r.Name))
        {
            Queue.Add(ClaimPrefix + ObjectKeys.Key(r.NamespaceProperty, r.Name));
        }
        else
        {
            // A new Available volume may satisfy a Pending claim.
            foreach (var claim in _claims.List().Where(c => string.IsNullOrEmpty(c.Spec?.VolumeName)))
            {
                Queue.Add(ClaimKey(claim));
            }
        }
    }

    /// <summary>Claims used by a pod: protection is re-evaluated when pods come and go.</summary>
    private void PodChanged(V1Pod pod)
    {
        foreach (var v in pod.Spec?.Volumes ?? [])
        {
            if (v.PersistentVolumeClaim?.ClaimName is { Length: > 0 } name)
            {
                Queue.Add(ClaimPrefix + ObjectKeys.Key(pod.Metadata.NamespaceProperty, name));
            }
        }
    }

    private static string ClaimKey(V1PersistentVolumeClaim c) => ClaimPrefix + ObjectKeys.Of(c);

    /// <summary>True while a pod that is not finished uses the claim (upstream's pvc-protection check).</summary>
    private bool ClaimInUse(V1PersistentVolumeClaim claim) =>
        _pods.List(claim.Metadata.NamespaceProperty).Any(p =>
            p.Status?.Phase is not ("Succeeded" or "Failed")
            && (p.Spec?.Volumes ?? []).Any(v => v.PersistentVolumeClaim?.ClaimName == claim.Metadata.Name));
}
