using KubeWeb.Core.Selectors;
using KubeWeb.Web.Api;
using KubeWeb.Web.Live;
using Microsoft.AspNetCore.Components;

namespace KubeWeb.Web.Components.Controls;

/// <summary>
/// A live list of one kind with kubectl's columns (the API's Table output), kept current by a
/// watch; searching and sorting happen here, the label selector is sent to the API.
/// </summary>
public sealed partial class ResourceTable : ComponentBase, IDisposable
{
    private CancellationTokenSource? _cts;
    private LiveSnapshot<KubeRow>? _snapshot;
    private TableSort _sort = TableSort.Default;
    private string? _selectorDraft;
    private string? _selector;
    private string? _selectorError;
    private bool _wide;
    private (ConsoleKind Kind, string? Ns, string? Selector)? _following;

    [Parameter, EditorRequired]
    public ConsoleKind Kind { get; set; } = default!;

    /// <summary>Null or empty lists every namespace.</summary>
    [Parameter]
    public string? Namespace { get; set; }

    /// <summary>Per-row buttons (delete, scale ...), rendered in the last column.</summary>
    [Parameter]
    public RenderFragment<KubeRow>? RowActions { get; set; }

    [Inject]
    private ITableFeed Feed { get; set; } = default!;

    /// <summary>Visible for tests: the rows of the latest snapshot.</summary>
    internal LiveSnapshot<KubeRow>? Snapshot => _snapshot;

    private string? Search { get; set; }

    private string? ScopedNamespace => Kind.Namespaced && !string.IsNullOrEmpty(Namespace) ? Namespace : null;

    private bool ShowNamespace => Kind.Namespaced && ScopedNamespace is null;

    private string ScopeText => ScopedNamespace is { } ns ? $"in namespace {ns}" : Kind.Namespaced ? "in any namespace" : "";

    private IEnumerable<(KubeColumn Col, int Index)> VisibleColumns =>
        (_snapshot?.Columns ?? []).Select((c, i) => (c, i)).Where(x => _wide || x.c.Priority == 0);

    private IReadOnlyList<KubeRow> Rows => _snapshot is null ? [] : TableView.Apply(_snapshot.Items, _snapshot.Columns, Search, _sort);

    private string CountText => _snapshot is null ? "" : $"{Rows.Count} of {_snapshot.Items.Count}";

    protected override void OnParametersSet()
    {
        if (_following != (Kind, ScopedNamespace, _selector))
        {
            Follow();
        }
    }

    private void Follow()
    {
        _cts?.Cancel();
        _cts?.Dispose();
        _cts = new CancellationTokenSource();
        _following = (Kind, ScopedNamespace, _selector);
        _snapshot = null;
        _ = RunAsync(_cts.Token);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var snapshot in Feed.FollowAsync(Kind.Type, ScopedNamespace, _selector, ct))
            {
                _snapshot = snapshot;
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void OnSelectorChanged(string? value)
    {
        _selectorDraft = value;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            _selectorError = null;
            _selector = null;
        }
        else if (!LabelSelector.TryParse(text, out _, out var error))
        {
            _selectorError = error;
            return;
        }
        else
        {
            _selectorError = null;
            _selector = text;
        }

        if (_following?.Selector != _selector)
        {
            Follow();
        }
    }

    private void SetSort(TableSort sort) => _sort = sort;

    public void Dispose()
    {
        _cts?.Cancel();
        _cts?.Dispose();
    }
}
