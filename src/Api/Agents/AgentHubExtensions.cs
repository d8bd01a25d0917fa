using KubeWeb.Api.Streams;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KubeWeb.Api.Agents;

public static class AgentHubExtensions
{
    /// <summary>
    /// The agent hub's services. A host that accepts agents registers <see cref="AgentHubOptions"/>
    /// with the node token first; without it no agent can authenticate.
    /// </summary>
    public static IServiceCollection AddAgentHub(this IServiceCollection services)
    {
        services.TryAddSingleton(new AgentHubOptions());
        services.AddSingleton<NodeRegistrar>();
        services.AddSingleton<PodStatusWriter>();
        services.AddSingleton<PodEventWriter>();
        services.AddSingleton<MirrorPodWriter>();
        services.AddSingleton<NodePodFeed>();
        services.AddSingleton<AgentSessions>();
        services.AddSingleton<LocalVolumes>();
        services.AddPodStreams();
        services.AddSignalR();
        services.AddOptions<Microsoft.AspNetCore.SignalR.HubOptions<AgentHub>>()
            .Configure<AgentHubOptions>((o, agents) => o.MaximumReceiveMessageSize = agents.MaximumReceiveMessageSize);
        return services;
    }

    public static IEndpointRouteBuilder MapAgentHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<AgentHub>(AgentHubProtocol.Path);
        return app;
    }
}
