using KubeWeb.Controllers.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Controllers.Apps;

public static class AppsServiceCollectionExtensions
{
    /// <summary>
    /// The apps/v1 workload controllers (ReplicaSet, Deployment) as <see cref="IController"/>s of the
    /// controller manager; needs <c>AddKubeWebControllerManager</c>.
    /// </summary>
    public static IServiceCollection AddKubeWebAppsControllers(this IServiceCollection services)
    {
        services.AddSingleton<IPodControl>(sp => new ApiPodControl(sp.GetRequiredService<k8s.IKubernetes>()));
        services.AddSingleton<ReplicaSetReconciler>();
        services.AddSingleton<DeploymentReconciler>();
        services.AddSingleton<IController>(sp => sp.GetRequiredService<ReplicaSetReconciler>());
        services.AddSingleton<IController>(sp => sp.GetRequiredService<DeploymentReconciler>());
        return services;
    }
}
