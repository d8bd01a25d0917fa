using KubeWeb.Web.Metrics;
using Microsoft.AspNetCore.Components;

namespace KubeWeb.Web.Components.Controls.Metrics;

/// <summary>Base for views of usage: starts the circuit's metrics polling and re-renders after each poll.</summary>
public abstract class MetricsView : ComponentBase, IDisposable
{
    [Inject]
    protected MetricsHistory History { get; set; } = default!;

    protected override void OnInitialized()
    {
        History.Updated += OnUpdated;
        History.EnsureStarted();
    }

    private void OnUpdated() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        History.Updated -= OnUpdated;
        GC.SuppressFinalize(this);
    }
}
