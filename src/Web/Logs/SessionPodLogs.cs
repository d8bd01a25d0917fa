using KubeWeb.Web.State;

namespace KubeWeb.Web.Logs;

/// <summary>The circuit's <see cref="IPodLogApi"/>: the signed-in user's client, resolved on each call.</summary>
internal sealed class SessionPodLogs(ConsoleSession session) : IPodLogApi
{
    public async Task<Stream> OpenAsync(string ns, LogSource source, LogRequest request, CancellationToken ct) =>
        await (await ApiAsync()).OpenAsync(ns, source, request, ct);

    public async Task<ContainerRunState> StateAsync(string ns, LogSource source, CancellationToken ct) =>
        await (await ApiAsync()).StateAsync(ns, source, ct);

    private async Task<ApiPodLogs> ApiAsync() => new((await session.GetApiAsync()).Client);
}
