using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.Hosting;

namespace KubeWeb.Api.Lifecycle;

/// <summary>Loads the store and creates the namespaces every cluster starts with, then marks the API ready.</summary>
public sealed class ApiBootstrapper(ObjectStore store, ResourceHandler handler, ResourceRegistry registry, ApiReadiness readiness) : IHostedService
{
    public static readonly string[] DefaultNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

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

        readiness.MarkReady();
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await store.DisposeAsync();
}
