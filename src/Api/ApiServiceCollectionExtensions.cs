using KubeWeb.Api.Admission;
using KubeWeb.Api.Agents;
using KubeWeb.Api.Allocation;
using KubeWeb.Api.Admission.Strategies;
using KubeWeb.Api.Discovery;
using KubeWeb.Api.Http;
using KubeWeb.Api.Lifecycle;
using KubeWeb.Api.OpenApi;
using KubeWeb.Api.Printing;
using KubeWeb.Api.Security;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>Registers the API server: store, watch cache, strategies, handler, discovery and OpenAPI.</summary>
    public static IServiceCollection AddKubeWebApi(this IServiceCollection services, StoreOptions store, ApiServerOptions api)
    {
        services.AddSingleton(store);
        services.AddSingleton(api);
        services.AddSingleton(ResourceRegistry.Default);
        services.AddSingleton(TimeProvider.System);
        AddDbContext(services, store);
        services.AddSingleton<ObjectCodec>();
        services.AddSingleton<ObjectStore>();
        services.AddSingleton(sp => new StrategyRegistry(sp.GetRequiredService<ResourceRegistry>(), BuiltInStrategies.Create()));
        services.AddTablePrinting();
        services.AddSingleton<ManagedFieldsTracker>();
        services.AddSingleton<ServiceAllocator>();
        services.AddSingleton<ResourceHandler>();
        services.AddSingleton<DiscoveryDocuments>();
        services.AddSingleton(new Metrics.MetricsOptions());
        services.AddSingleton<Metrics.MetricsStore>();
        services.AddSingleton(sp => new OpenApiDocuments(sp.GetRequiredService<ResourceRegistry>(), ApiServerOptions.GitVersion));
        services.AddSingleton<ApiReadiness>();
        services.AddSingleton<ServiceAccountTokens>();
        services.AddHostedService<ApiBootstrapper>();
        services.AddHostedService<StoreCompactor>();
        services.AddHostedService<EventTtlSweeper>();
        services.AddAgentHub();
        return services;
    }

    /// <summary>Authentication for the Kubernetes paths; call before routing to the API endpoints.</summary>
    public static IApplicationBuilder UseKubeWebAuthentication(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestLimits>().UseMiddleware<TokenAuthentication>();

    private static void AddDbContext(IServiceCollection services, StoreOptions store)
    {
        if (store.Kind == DatastoreKind.Postgres)
        {
            services.AddDbContextFactory<PostgresKubeDbContext>(o => o.UseNpgsql(store.ConnectionString));
            services.AddSingleton<IDbContextFactory<KubeDbContext>>(sp =>
                new UpcastFactory<PostgresKubeDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresKubeDbContext>>()));
        }
        else
        {
            services.AddDbContextFactory<SqliteKubeDbContext>(o => o.UseSqlite(store.ConnectionString));
            services.AddSingleton<IDbContextFactory<KubeDbContext>>(sp =>
                new UpcastFactory<SqliteKubeDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteKubeDbContext>>()));
        }
    }

    private sealed class UpcastFactory<T>(IDbContextFactory<T> inner) : IDbContextFactory<KubeDbContext>
        where T : KubeDbContext
    {
        public KubeDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
