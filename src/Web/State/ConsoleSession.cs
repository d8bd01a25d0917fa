using KubeWeb.Web.Api;
using KubeWeb.Web.Hosting;
using Microsoft.AspNetCore.Components.Authorization;

namespace KubeWeb.Web.State;

/// <summary>
/// One browser circuit's connection to the API: a client for the signed-in user's token, and
/// whether the API is serving (for the banner). Once a call finds it down, a probe asks every
/// <see cref="ProbeInterval"/> until it answers again, so the banner clears even on pages without
/// a live view. Disposed with the circuit.
/// </summary>
public sealed class ConsoleSession(AuthenticationStateProvider auth, IServiceProvider services, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _disposed = new();
    private ConsoleApi? _api;
    private k8s.Kubernetes? _client;
    private int _probing;

    /// <summary>Raised when <see cref="ApiUnreachable"/> changes.</summary>
    public event Action? HealthChanged;

    public bool ApiUnreachable { get; private set; }

    /// <summary>Why the API is down (null while it serves).</summary>
    public ApiProblem? DownProblem { get; private set; }

    /// <summary>When the console first found it down (for the banner's "since").</summary>
    public DateTimeOffset? DownSince { get; private set; }

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

    /// <summary>Live views report each success; the banner follows.</summary>
    public void ReportHealth(bool reachable)
    {
        if (reachable)
        {
            SetHealth(null);
        }
    }

    /// <summary>Any failed call: only "cannot reach" and 503 mean the API is down; a 404 or 403 is the caller's business.</summary>
    public void ReportProblem(ApiProblem problem)
    {
        if (problem.ApiDown)
        {
            SetHealth(problem);
        }
    }

    private void SetHealth(ApiProblem? down)
    {
        var wasDown = ApiUnreachable;
        DownProblem = down;
        if (wasDown == down is not null)
        {
            return;
        }

        ApiUnreachable = down is not null;
        DownSince = down is null ? null : time.GetUtcNow();
        HealthChanged?.Invoke();
        if (down is not null && Interlocked.Exchange(ref _probing, 1) == 0)
        {
            _ = ProbeAsync(_disposed.Token);
        }
    }

    private async Task ProbeAsync(CancellationToken ct)
    {
        try
        {
            while (ApiUnreachable && !ct.IsCancellationRequested)
            {
                await Task.Delay(ProbeInterval, time, ct);
                try
                {
                    var api = await GetApiAsync();
                    await api.ProbeAsync(ct);
                    SetHealth(null);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    ReportProblem(ApiErrors.Describe(e));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Exchange(ref _probing, 0);
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        _client?.Dispose();
    }
}
