using KubeWeb.Web.Api;
using KubeWeb.Web.Hosting;
using Microsoft.AspNetCore.Components.Authorization;

namespace KubeWeb.Web.State;

/// <summary>
/// One browser circuit's connection to the API: a client for the signed-in user's token, and
/// whether the API is reachable (for the banner). Disposed with the circuit.
/// </summary>
public sealed class ConsoleSession(AuthenticationStateProvider auth, IServiceProvider services) : IDisposable
{
    private ConsoleApi? _api;
    private k8s.Kubernetes? _client;

    /// <summary>Raised when <see cref="ApiUnreachable"/> changes.</summary>
    public event Action? HealthChanged;

    public bool ApiUnreachable { get; private set; }

    public async Task<ConsoleApi> GetApiAsync()
    {
        if (_api is not null)
        {
            return _api;
        }

        var state = await auth.GetAuthenticationStateAsync();
        var token = state.User.FindFirst(SignInEndpoints.TokenClaim)?.Value
            ?? throw new InvalidOperationException("Not signed in.");
        _client = ((ApiEndpoint)services.GetService(typeof(ApiEndpoint))!).CreateClient(token);
        _api = new ConsoleApi(_client);
        return _api;
    }

    /// <summary>Live views report each success or transport failure; the banner follows.</summary>
    public void ReportHealth(bool reachable)
    {
        if (ApiUnreachable == !reachable)
        {
            return;
        }

        ApiUnreachable = !reachable;
        HealthChanged?.Invoke();
    }

    public void Dispose() => _client?.Dispose();
}
