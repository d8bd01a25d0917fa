using KubeWeb.Controllers.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Controllers.Volumes;

public static class VolumesServiceCollectionExtensions
{
    /// <summary>The PV controller (binder, protection, reclaim) with the local-path provisioner; needs <c>AddKubeWebControllerManager</c>.</summary>
    public static IServiceCollection AddKubeWebVolumeControllers(this IServiceCollection services, VolumeControllerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<IController, PersistentVolumeController>();
        return services;
    }
}
