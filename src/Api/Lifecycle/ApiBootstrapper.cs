using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.Hosting;

namespace KubeWeb.Api.Lifecycle;

/// <summary>
/// Loads the store and creates what every cluster starts with (the namespaces, the <c>kubernetes</c>
/// Service, the default <c>local-path</c> StorageClass, as k3s ships it, and the two system
/// PriorityClasses), then marks the API ready.
/// </summary>
public sealed class ApiBootstrapper(ObjectStore store, ResourceHandler handler, ResourceRegistry registry, ApiReadiness readiness, ApiServerOptions options) : IHostedService
{
    public static readonly string[] DefaultNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public const string LocalPathClass = "local-path";

    /// <summary>The provisioner of <see cref="LocalPathClass"/>: the controller manager's local-path provisioner.</summary>
    public const string LocalPathProvisioner = "kubeweb.io/local-path";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.StartAsync(cancellationToken);
        var namespaces = registry.Find("", "v1", "namespaces")!;
        foreach (var name in DefaultNamespaces)
        {
            if (store.Get("namespaces", "", name) is null)
            {
                await handler.CreateObjectAsync(namespaces, null, new V1Namespace { Metadata = new V1ObjectMeta { Name = name } },
                    WriteOptions.Internal("kube-apiserver"), cancellationToken);
            }
        }

        if (store.Get("services", "default", "kubernetes") is null)
        {
            var services = registry.Find("", "v1", "services")!;
            await handler.CreateObjectAsync(services, "default", new V1Service
            {
                Metadata = new V1ObjectMeta
                {
                    Name = "kubernetes",
                    Labels = new Dictionary<string, string> { ["component"] = "apiserver", ["provider"] = "kubernetes" },
                },
                Spec = new V1ServiceSpec
                {
                    Type = "ClusterIP",
                    ClusterIP = FirstServiceIp(options.ServiceClusterIpRange),
                    Ports = [new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP", TargetPort = 6443 }],
                },
            }, WriteOptions.Internal("kube-apiserver"), cancellationToken);
        }

        if (store.Get("storage.k8s.io/storageclasses", "", LocalPathClass) is null)
        {
            await handler.CreateObjectAsync(registry.Find("storage.k8s.io", "v1", "storageclasses")!, null, new V1StorageClass
            {
                Metadata = new V1ObjectMeta
                {
                    Name = LocalPathClass,
                    Annotations = new Dictionary<string, string> { [Admission.Plugins.StorageAdmission.DefaultClassAnnotation] = "true" },
                },
                Provisioner = LocalPathProvisioner,
                ReclaimPolicy = "Delete",
                VolumeBindingMode = "WaitForFirstConsumer",
            }, WriteOptions.Internal("kube-apiserver"), cancellationToken);
        }

        var priorityClasses = registry.Find("scheduling.k8s.io", "v1", "priorityclasses")!;
        foreach (var cls in Admission.Strategies.PriorityClassStrategy.SystemClasses)
        {
            if (store.Get(priorityClasses.StorageResource, "", cls.Metadata.Name) is null)
            {
                var copy = new V1PriorityClass
                {
                    Metadata = new V1ObjectMeta { Name = cls.Metadata.Name },
                    Value = cls.Value,
                    Description = cls.Description,
                    PreemptionPolicy = cls.PreemptionPolicy,
                };
                await handler.CreateObjectAsync(priorityClasses, null, copy, WriteOptions.Internal("kube-apiserver"), cancellationToken);
            }
        }

        readiness.MarkReady();
    }

    private static string FirstServiceIp(string cidr)
    {
        var b = System.Net.IPAddress.Parse(cidr.Split('/')[0]).GetAddressBytes();
        b[3] |= 1;
        return new System.Net.IPAddress(b).ToString();
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await store.DisposeAsync();
}
