using KubeWeb.Core.Resources;
using KubeWeb.Web.Api;
using KubeWeb.Web.State;

namespace KubeWeb.Web.Live;

/// <summary>Where a <c>ResourceTable</c> gets its live rows; tests supply snapshots without an API.</summary>
public interface ITableFeed
{
    /// <summary>Snapshots until <paramref name="ct"/> is cancelled (the caller owns cancellation).</summary>
    IAsyncEnumerable<LiveSnapshot<KubeRow>> FollowAsync(ResourceType type, string? ns, string? labelSelector, string? fieldSelector, CancellationToken ct);
}

/// <summary>Rows from the API's Table list + watch, as the signed-in user.</summary>
internal sealed class ApiTableFeed(ConsoleSession session, TimeProvider time) : ITableFeed
{
    public IAsyncEnumerable<LiveSnapshot<KubeRow>> FollowAsync(ResourceType type, string? ns, string? labelSelector, string? fieldSelector,
        CancellationToken ct) => LiveFeeds.TableAsync(session, type, ns, labelSelector, fieldSelector, time, ct);
}
