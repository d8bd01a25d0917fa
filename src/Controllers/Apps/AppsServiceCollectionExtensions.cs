using KubeWeb.Controllers.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Controllers.Apps;

public static class AppsServiceCollectionExtensions
{
    /// <summary>
    /// The apps/v1 workload controllers (ReplicaSet, Deployment) as <see cref="IController"/>s of the
    /// controller manager; needs <c>AddKubeWebControllerManager</c>. Calling it twice registers them
    /// once, so a host default and a test hook can both ask for them.
    /// </summary>
    public static IServiceCollection AddKubeWebAppsControllers(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ReplicaSetReconciler)))
        {
            return services;
        }

        services.AddSingleton<IPodControl>(sp => new ApiPodControl(sp.GetRequiredService<k8s.IKubernetes>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ReplicaSetReconciler>();
        services.AddSingleton<DeploymentReconciler>();
        services.AddSingleton<IController>(sp => sp.GetRequiredService<ReplicaSetReconciler>());
        services.AddSingleton<IController>(sp => sp.GetRequiredService<DeploymentReconciler>());
        return services;
    }
}
