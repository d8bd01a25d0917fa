using KubeWeb.Web.Api;
using KubeWeb.Web.Components;
using KubeWeb.Web.Live;
using KubeWeb.Web.State;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using MudBlazor.Services;

namespace KubeWeb.Web.Hosting;

/// <summary>Registers and maps the browser console beside the API on the same host.</summary>
public static class ConsoleRegistration
{
    public const string CookieName = "kubeweb-console";

    public static IServiceCollection AddKubeWebConsole(this IServiceCollection services, ConsoleOptions options)
    {
        services.AddSingleton(options);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
        services.AddCascadingAuthenticationState();
        services.AddAuthorization();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
                o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
            });
        var protection = services.AddDataProtection().SetApplicationName("kubeweb-console");
        if (options.DataDir is { } dir)
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dir, "console-keys")));
        }

        services.AddSingleton<ApiEndpoint>();
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<ConsoleSession>();
        services.AddScoped<ConsoleState>();
        services.AddScoped<ITableFeed, ApiTableFeed>();
        services.AddScoped<Search.ISearchSource, Search.SearchIndex>();
        services.AddScoped<Access.IAccessChecker, Access.ReviewAccessChecker>();
        services.AddScoped<Logs.IPodLogApi, Logs.SessionPodLogs>();
        services.AddScoped<Metrics.IMetricsSource, Metrics.ApiMetricsSource>();
        services.AddScoped<Metrics.MetricsHistory>();
        return services;
    }

    /// <summary>
    /// Maps the console under <c>/</c>. API paths are matched by their own routes first; the
    /// console only adds cookie authentication, which the API ignores (it reads bearer tokens).
    /// </summary>
    public static WebApplication MapKubeWebConsole(this WebApplication app)
    {
        UseConsoleAssets(app.Environment, app.Configuration);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets(ManifestPath());
        app.MapSignInEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// The host's content root is the data folder and its entry assembly may be a test runner, so
    /// the console points the web root at its own assets: the build's static-web-assets manifest
    /// when there is one, else the published <c>wwwroot</c> beside the executable.
    /// </summary>
    private static void UseConsoleAssets(IWebHostEnvironment env, IConfiguration configuration)
    {
        var published = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(published))
        {
            env.WebRootPath = published;
            env.WebRootFileProvider = new PhysicalFileProvider(published);
        }
        else
        {
            env.WebRootFileProvider = new NullFileProvider();
        }

        var runtime = Path.Combine(AppContext.BaseDirectory, "kubeweb.staticwebassets.runtime.json");
        if (File.Exists(runtime))
        {
            configuration[WebHostDefaults.StaticWebAssetsKey] = runtime;
            StaticWebAssetsLoader.UseStaticWebAssets(env, configuration);
        }
    }

    private static string? ManifestPath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "kubeweb.staticwebassets.endpoints.json");
        return File.Exists(path) ? path : null;
    }
}
