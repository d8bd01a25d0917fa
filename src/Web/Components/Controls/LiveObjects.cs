using k8s;
using k8s.Models;
using KubeWeb.Web.Api;
using KubeWeb.Web.Live;
using KubeWeb.Web.State;
using Microsoft.AspNetCore.Components;

namespace KubeWeb.Web.Components.Controls;

/// <summary>Base for small live cards: follows every object of one kind (all namespaces) and re-renders on change.</summary>
public abstract class LiveObjects<T> : ComponentBase, IDisposable
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly CancellationTokenSource _cts = new();

    [Inject]
    private ConsoleSession Session { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected abstract string Plural { get; }

    protected LiveSnapshot<T>? Snapshot { get; private set; }

    protected IReadOnlyList<T> Items => Snapshot?.Items ?? [];

    /// <summary>The watch is broken: what is shown is the last data received, not the current state.</summary>
    protected bool Stale => Snapshot?.Problem is not null;

    protected override void OnInitialized() => _ = FollowAsync();

    private async Task FollowAsync()
    {
        var type = ConsoleKinds.ByPlural(Plural)!.Type;
        try
        {
            await foreach (var s in LiveFeeds.ObjectsAsync<T>(Session, type, null, Time, _cts.Token))
            {
                Snapshot = s;
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
        GC.SuppressFinalize(this);
    }
}
