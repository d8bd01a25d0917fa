using k8s;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Controllers.Scheduling.Binding;
using KubeWeb.Core.Events;
using KubeWeb.Core.Informers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Scheduling;

public static class SchedulerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the default scheduler as a controller of the controller manager (needs
    /// <c>AddKubeWebControllerManager</c>'s shared client, informers and time). Adding it twice adds
    /// it once: two schedulers with caches of their own would each place pods on capacity the other
    /// had just taken.
    /// </summary>
    public static IServiceCollection AddKubeWebScheduler(this IServiceCollection services, SchedulerOptions? options = null)
    {
        if (services.Any(d => d.ServiceType == typeof(SchedulerOptions)))
        {
            return services;
        }

        services.AddSingleton(options ?? new SchedulerOptions());
        services.AddSingleton<IController>(sp =>
        {
            var client = sp.GetRequiredService<IKubernetes>();
            var time = sp.GetRequiredService<TimeProvider>();
            var logs = sp.GetRequiredService<ILoggerFactory>();
            var events = new EventRecorder(client, "default-scheduler", time, logs.CreateLogger<EventRecorder>());
            var reporter = new ApiSchedulingReporter(client, events, time, logs.CreateLogger<ApiSchedulingReporter>());
            var informers = sp.GetRequiredService<InformerFactory>();
            var volumes = new InformerVolumeLister(informers);
            var preemptor = new ApiPreemptor(client, events, time, logs.CreateLogger<ApiPreemptor>());
            var budgets = informers.For<k8s.Models.V1PodDisruptionBudget>();
            return new SchedulerController(informers, getPod => new Scheduler(
                getPod, new ApiBinder(client, time, volumes), reporter, sp.GetRequiredService<SchedulerOptions>(), time, new Random(),
                logs.CreateLogger<Scheduler>(), Framework.SchedulerProfile.Default(volumes), preemptor, budgets.List), volumes);
        });
        return services;
    }
}
