using KubeWeb.Core.Selectors;
using KubeWeb.Web.Api;
using KubeWeb.Web.Live;
using Microsoft.AspNetCore.Components;

namespace KubeWeb.Web.Components.Controls;

/// <summary>
/// A live list of one kind with kubectl's columns (the API's Table output), kept current by a
/// watch; searching and sorting happen here, the label selector is sent to the API. Long lists
/// are virtualized so only the rows on screen are rendered.
/// </summary>
public sealed partial class ResourceTable : ComponentBase, IDisposable
{
    /// <summary>Lists longer than this render only the rows in view.</summary>
    public const int VirtualizeAbove = 200;

    private const float RowHeight = 37;

    private CancellationTokenSource? _cts;
    private LiveSnapshot<KubeRow>? _snapshot;
    private TableSort _sort = TableSort.Default;
    private string? _selectorDraft;
    private string? _selector;
    private string? _selectorError;
    private bool _wide;
    private (ConsoleKind Kind, string? Ns, string? Selector, string? Fields)? _following;
    private (LiveSnapshot<KubeRow>? Snapshot, string? Search, TableSort Sort, Func<KubeRow, bool>? Filter, List<KubeRow> Rows)? _view;

    [Parameter, EditorRequired]
    public ConsoleKind Kind { get; set; } = default!;

    /// <summary>Null or empty lists every namespace.</summary>
    [Parameter]
    public string? Namespace { get; set; }

    /// <summary>Sent to the API with the list and watch (e.g. <c>spec.nodeName=node-1</c>).</summary>
    [Parameter]
    public string? FieldSelector { get; set; }

    /// <summary>Rows shown are those this accepts (owner/owned navigation); applied here, not by the API.</summary>
    [Parameter]
    public Func<KubeRow, bool>? Filter { get; set; }

    /// <summary>Without the toolbar (search, selector, wide): for tables embedded in detail pages.</summary>
    [Parameter]
    public bool Compact { get; set; }

    /// <summary>The table element's id.</summary>
    [Parameter]
    public string Id { get; set; } = "resource-table";

    /// <summary>Told the rows shown after each change (after <see cref="Filter"/>), e.g. to follow their children.</summary>
    [Parameter]
    public EventCallback<IReadOnlyList<KubeRow>> RowsChanged { get; set; }

    /// <summary>Per-row buttons (delete, scale ...), rendered in the last column.</summary>
    [Parameter]
    public RenderFragment<KubeRow>? RowActions { get; set; }

    /// <summary>Header cells of columns the console adds after the API's (live usage).</summary>
    [Parameter]
    public RenderFragment? ExtraHeaders { get; set; }

    /// <summary>The matching cells of a row (each a <c>td</c>).</summary>
    [Parameter]
    public RenderFragment<KubeRow>? ExtraCells { get; set; }

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

    /// <summary>Filtered, searched and sorted once per change, not once per use.</summary>
    private List<KubeRow> Rows
    {
        get
        {
            if (_view is { } v && ReferenceEquals(v.Snapshot, _snapshot) && v.Search == Search && v.Sort == _sort && ReferenceEquals(v.Filter, Filter))
            {
                return v.Rows;
            }

            List<KubeRow> rows = [];
            if (_snapshot is not null)
            {
                var source = Filter is null ? _snapshot.Items : _snapshot.Items.Where(Filter);
                rows = [.. TableView.Apply(source, _snapshot.Columns, Search, _sort)];
            }

            _view = (_snapshot, Search, _sort, Filter, rows);
            return rows;
        }
    }

    private string CountText => _snapshot is null ? "" : $"{Rows.Count} of {(Filter is null ? _snapshot.Items.Count : _snapshot.Items.Count(Filter))}";

    protected override void OnParametersSet()
    {
        if (_following != (Kind, ScopedNamespace, _selector, FieldSelector))
        {
            Follow();
        }
    }

    private void Follow()
    {
        _cts?.Cancel();
        _cts?.Dispose();
        _cts = new CancellationTokenSource();
        _following = (Kind, ScopedNamespace, _selector, FieldSelector);
        _snapshot = null;
        _ = RunAsync(_cts.Token);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var snapshot in Feed.FollowAsync(Kind.Type, ScopedNamespace, _selector, FieldSelector, ct))
            {
                _snapshot = snapshot;
                await InvokeAsync(async () =>
                {
                    StateHasChanged();
                    if (RowsChanged.HasDelegate)
                    {
                        await RowsChanged.InvokeAsync(Rows);
                    }
                });
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
