using System.Runtime.CompilerServices;
using System.Threading.Channels;
using KubeWeb.Core.Resources;
using KubeWeb.Web.Api;
using KubeWeb.Web.Live;

namespace KubeWeb.Web.Tests.Controls;

/// <summary>Feeds a ResourceTable with snapshots the test pushes; records what it was asked to follow.</summary>
internal sealed class FakeTableFeed : ITableFeed
{
    private readonly Channel<LiveSnapshot<KubeRow>> _snapshots = Channel.CreateUnbounded<LiveSnapshot<KubeRow>>();

    public List<(string Plural, string? Namespace, string? Selector)> Follows { get; } = [];

    public void Push(LiveSnapshot<KubeRow> snapshot) => _snapshots.Writer.TryWrite(snapshot);

    public async IAsyncEnumerable<LiveSnapshot<KubeRow>> FollowAsync(ResourceType type, string? ns, string? labelSelector, string? fieldSelector,
        [EnumeratorCancellation] CancellationToken ct)
    {
        Follows.Add((type.Plural, ns, labelSelector));
        await foreach (var s in _snapshots.Reader.ReadAllAsync(ct))
        {
            yield return s;
        }
    }
}
