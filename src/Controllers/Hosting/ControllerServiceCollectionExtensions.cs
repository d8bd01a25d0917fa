using k8s;
using KubeWeb.Controllers.LeaderElection;
using KubeWeb.Core.Events;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Hosting;

/// <summary>Settings of the controller manager.</summary>
public sealed record ControllerManagerOptions
{
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    /// <summary>How long a node's lease may go unrenewed before the node is marked unhealthy.</summary>
    public TimeSpan NodeMonitorGracePeriod { get; init; } = TimeSpan.FromSeconds(50);

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The cluster CA (PEM) published into every namespace as kube-root-ca.crt.</summary>
    public string? RootCaPem { get; init; }

    /// <summary>
    /// How many terminated (Succeeded or Failed) pods may exist before the pod garbage collector
    /// deletes the oldest (<c>--terminated-pod-gc-threshold</c>); 0 keeps them all.
    /// </summary>
    public int TerminatedPodGcThreshold { get; init; } = 12500;

    /// <summary>How often the pod garbage collector looks (upstream's gcCheckPeriod).</summary>
    public TimeSpan PodGcPeriod { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a node must be missing before its pods count as orphaned (upstream's quarantineTime).</summary>
    public TimeSpan PodGcQuarantine { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Where on each node the local-path provisioner keeps volumes (<c>DATA_DIR/storage</c> for the all-in-one server).</summary>
    public string StorageRoot { get; init; } = "/var/lib/kubeweb/storage";
}

public static class ControllerServiceCollectionExtensions
{
    /// <summary>
    /// The controller manager's shared parts: the API client (loopback in the all-in-one server),
    /// informers, event recorder, leader election. Controllers add themselves as <see cref="Runtime.IController"/>.
    /// <paramref name="handlers"/> go into the client's pipeline (the in-process server's Unix socket needs one).
    /// </summary>
    public static IServiceCollection AddKubeWebControllerManager(this IServiceCollection services, KubernetesClientConfiguration config, ControllerManagerOptions options,
        params DelegatingHandler[] handlers)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(ResourceRegistry.Default);
        services.AddSingleton(_ => new Kubernetes(config, handlers));
        services.AddSingleton<IKubernetes>(sp => sp.GetRequiredService<Kubernetes>());
        services.AddSingleton(sp => new ResourceClient(sp.GetRequiredService<Kubernetes>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<InformerFactory>();
        services.AddSingleton(sp => new EventRecorder(sp.GetRequiredService<IKubernetes>(), "kubeweb-controller-manager",
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EventRecorder>>()));
        services.AddSingleton(sp => new LeaderElector(sp.GetRequiredService<IKubernetes>(), new LeaderElectionOptions
        {
            LeaseName = "kube-controller-manager",
            Identity = options.Identity,
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        }, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LeaderElector>>()));
        services.AddHostedService<ControllerManager>();
        return services;
    }
}
