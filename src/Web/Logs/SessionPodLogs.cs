using KubeWeb.Web.Api;
using KubeWeb.Web.State;

namespace KubeWeb.Web.Logs;

/// <summary>
/// The circuit's <see cref="IPodLogApi"/>: the signed-in user's client, resolved on each call.
/// Failures that mean the API is down also raise the session's banner (a logs page may be the only
/// view open).
/// </summary>
internal sealed class SessionPodLogs(ConsoleSession session) : IPodLogApi
{
    public Task<Stream> OpenAsync(string ns, LogSource source, LogRequest request, CancellationToken ct) =>
        ReportingAsync(api => api.OpenAsync(ns, source, request, ct));

    public Task<ContainerRunState> StateAsync(string ns, LogSource source, CancellationToken ct) =>
        ReportingAsync(api => api.StateAsync(ns, source, ct));

    private async Task<T> ReportingAsync<T>(Func<ApiPodLogs, Task<T>> call)
    {
        try
        {
            var result = await call(new ApiPodLogs((await session.GetApiAsync()).Client));
            session.ReportHealth(true);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            session.ReportProblem(ApiErrors.Describe(e));
            throw;
        }
    }
}
