using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Api.Streams;

public static class PodStreamsExtensions
{
    /// <summary>The streaming pod subresources (log, exec, attach, portforward), relayed through node agents.</summary>
    public static IServiceCollection AddPodStreams(this IServiceCollection services)
    {
        services.AddSingleton<AgentStreamBroker>();
        services.AddSingleton<PodStreamEndpoints>();
        return services;
    }
}
