using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using KubeWeb.Web.Api;
using KubeWeb.Web.Live;
using KubeWeb.Web.Logs;
using KubeWeb.Web.State;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace KubeWeb.Web.Components.Pages.Logs;

/// <summary>
/// Live logs of a pod or of every pod of a workload: streams through <c>pods/log</c> as the
/// signed-in user, lines prefixed and coloured by pod, search, tail, previous, timestamps, pause,
/// download. Renders at most every <see cref="RenderPeriod"/> however fast lines arrive.
/// </summary>
public sealed partial class LogsPage : ComponentBase, IDisposable
{
    private static readonly TimeSpan RenderPeriod = TimeSpan.FromMilliseconds(250);
    private readonly CancellationTokenSource _cts = new();
    private LogSession? _session;
    private IReadOnlyList<string> _containers = [];
    private IReadOnlyList<LogLine> _shown = [];
    private LogOptions _options = new();
    private IReadOnlyCollection<string> _pods = [];
    private string? _selector;
    private string? _search;
    private bool _workload;
    private bool _podsLoaded;
    private bool _autoScroll = true;
    private long _renderedVersion = -1;
    private ApiProblem? _problem;

    [Parameter]
    public string Plural { get; set; } = "";

    [Parameter]
    public string Ns { get; set; } = "";

    [Parameter]
    public string Name { get; set; } = "";

    /// <summary>Preselected container (<c>?container=</c>).</summary>
    [SupplyParameterFromQuery(Name = "container")]
    public string? Container { get; set; }

    [Inject]
    private ConsoleSession Session { get; set; } = default!;

    [Inject]
    private IPodLogApi LogApi { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private ConsoleKind? Kind => ConsoleKinds.ByPlural(Plural);

    private bool Prefix => _workload || _options.Container == LogOptions.AllContainers;

    private List<BreadcrumbItem> Crumbs =>
    [
        new(Kind!.Title, Kind.ListHref),
        new(Ns, null, disabled: true),
        new(Name, Kind.DetailHref(Ns, Name)),
        new("Logs", null, disabled: true),
    ];

    protected override async Task OnInitializedAsync()
    {
        if (Kind is null || !LogTargets.HasLogs(Plural))
        {
            return;
        }

        _workload = LogTargets.IsWorkload(Plural);
        _session = new LogSession(Ns, LogApi, Time);
        _session.Changed += () => _ = InvokeAsync(StateHasChanged);
        JsonObject obj;
        try
        {
            obj = await (await Session.GetApiAsync()).GetJsonAsync(Kind.Type, Ns, Name, _cts.Token);
        }
        catch (Exception e) when (!_cts.IsCancellationRequested)
        {
            _problem = ApiErrors.Describe(e);
            return;
        }

        _containers = LogTargets.Containers(obj);
        var regular = (obj["spec"]?["template"]?["spec"] ?? obj["spec"])?["containers"]?[0]?["name"];
        _options = _options with { Container = Container is { } c && (_containers.Contains(c) || c == LogOptions.AllContainers) ? c : (string?)regular ?? _containers.FirstOrDefault() ?? "" };
        if (_workload)
        {
            _selector = LogTargets.Selector(obj);
            if (_selector is null)
            {
                _problem = new ApiProblem("No selector", $"{Kind.Type.Kind} {Name} has no pod selector to follow.", []);
                return;
            }

            _ = FollowPodsAsync(_selector, _cts.Token);
        }
        else
        {
            _pods = [Name];
            Sync();
        }

        _ = RenderLoopAsync(_cts.Token);
    }

    private async Task FollowPodsAsync(string selector, CancellationToken ct)
    {
        var pods = ConsoleKinds.ByPlural("pods")!.Type;
        try
        {
            await foreach (var s in LiveFeeds.ObjectsAsync<V1Pod>(Session, pods, Ns, selector, null, Time, ct))
            {
                if (s.Problem is not null)
                {
                    continue;
                }

                await InvokeAsync(() =>
                {
                    _podsLoaded = s.Loaded;
                    _pods = [.. s.Items.Where(p => p.Metadata.DeletionTimestamp is null).Select(p => p.Metadata.Name)];
                    Sync();
                });
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void Sync()
    {
        var containers = _options.Container == LogOptions.AllContainers ? _containers : [_options.Container];
        _session?.Sync([.. _pods.SelectMany(p => containers.Select(c => new LogSource(p, c)))], _options.ToRequest());
    }

    private async Task RenderLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(RenderPeriod, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (_session is { } s && s.Buffer.Version != _renderedVersion)
                {
                    await InvokeAsync(() =>
                    {
                        Refresh();
                        StateHasChanged();
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_autoScroll && _session is not null && _shown.Count > 0)
        {
            try
            {
                await JS.InvokeVoidAsync("kubeweb.scrollToEnd", "log-lines");
            }
            catch (JSDisconnectedException)
            {
            }
        }
    }

    /// <summary>Takes the buffer's lines that match the search, when anything changed since the last time.</summary>
    private void Refresh()
    {
        if (_session is { } s && s.Buffer.Version != _renderedVersion)
        {
            _renderedVersion = s.Buffer.Version;
            _shown = [.. s.Buffer.Snapshot().Where(l => LogFilter.Matches(l.Text, _search))];
        }
    }

    private void ApplyAsync(LogOptions options)
    {
        _options = options;
        Sync();
    }

    private void SetSearch(string? search)
    {
        _search = search;
        _renderedVersion = -1;
        Refresh();
    }

    private void SetAutoScroll(bool on) => _autoScroll = on;

    private void Clear()
    {
        _session?.Buffer.Clear();
        Refresh();
    }

    private async Task DownloadAsync()
    {
        var text = new StringBuilder();
        foreach (var line in _shown)
        {
            text.Append(line.Format(_options.Timestamps, Prefix)).Append('\n');
        }

        await JS.InvokeVoidAsync("kubeweb.download", $"{Name}.log", text.ToString());
    }

    private static Color PhaseColor(LogStreamPhase phase) => phase switch
    {
        LogStreamPhase.Streaming => Color.Success,
        LogStreamPhase.Waiting or LogStreamPhase.Connecting => Color.Warning,
        LogStreamPhase.Failed => Color.Error,
        _ => Color.Default,
    };

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
        _session?.Dispose();
    }
}
