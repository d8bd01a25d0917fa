using KubeWeb.Controllers.Disruption;
using KubeWeb.Controllers.GarbageCollection;
using KubeWeb.Controllers.Namespaces;
using KubeWeb.Controllers.NodeLifecycle;
using KubeWeb.Controllers.PodGarbageCollection;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Controllers.ServiceAccounts;
using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Controllers.Hosting;

public static class CoreControllers
{
    /// <summary>Garbage collector, namespace lifecycle, node lifecycle (with the taint manager), the pod GC and the disruption controller.</summary>
    public static IServiceCollection AddKubeWebCoreControllers(this IServiceCollection services)
    {
        services.AddSingleton<IController, GarbageCollector>();
        services.AddSingleton<IController, NamespaceController>();
        services.AddSingleton<IController, NodeLifecycleController>();
        services.AddSingleton<IController, NamespaceDefaultsController>();
        services.AddSingleton<IController, PodGarbageCollector>();
        services.AddSingleton<IController, DisruptionController>();
        return services;
    }
}
