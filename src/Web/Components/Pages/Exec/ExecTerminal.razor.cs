using KubeWeb.Web.Api;
using KubeWeb.Web.Exec;
using KubeWeb.Web.State;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace KubeWeb.Web.Components.Pages.Exec;

/// <summary>
/// An xterm.js terminal relayed over the Blazor circuit to one <see cref="ExecSession"/>: the
/// browser never talks to the API itself, so the user's token stays on the server.
/// </summary>
public sealed partial class ExecTerminal : ComponentBase, IAsyncDisposable
{
    private static readonly string[] Scripts = ["_content/KubeWeb.Web/lib/xterm/xterm.js", "_content/KubeWeb.Web/lib/xterm/addon-fit.js", "_content/KubeWeb.Web/exec-terminal.js"];
    private readonly string _id = "exec-terminal";
    private readonly CancellationTokenSource _cts = new();
    private DotNetObjectReference<ExecTerminal>? _self;
    private ExecSession? _exec;
    private string _state = "connecting";
    private ExecExit? _exit;
    private (int Columns, int Rows)? _size;

    [Parameter, EditorRequired]
    public string Namespace { get; set; } = "";

    [Parameter, EditorRequired]
    public string Pod { get; set; } = "";

    [Parameter, EditorRequired]
    public string Container { get; set; } = "";

    [Parameter, EditorRequired]
    public string Shell { get; set; } = "sh";

    [Inject]
    private ConsoleSession Session { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private string StateText => _state switch
    {
        "connecting" => "connecting…",
        "connected" => "connected",
        "exited" => _exit?.Message ?? "exited",
        _ => _exit?.Message ?? _state,
    };

    private Color StateColor => _state switch
    {
        "connected" => Color.Success,
        "exited" when _exit?.Code == 0 => Color.Default,
        "connecting" => Color.Warning,
        _ => Color.Error,
    };

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            await JS.InvokeVoidAsync("kubeweb.loadStyle", "_content/KubeWeb.Web/lib/xterm/xterm.css");
            foreach (var script in Scripts)
            {
                await JS.InvokeVoidAsync("kubeweb.loadScript", script);
            }

            _self = DotNetObjectReference.Create(this);
            var size = await JS.InvokeAsync<int[]>("kubewebTerminals.open", _id, _self);
            _size = (size[0], size[1]);
            await RunAsync();
        }
        catch (JSDisconnectedException)
        {
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync()
    {
        try
        {
            var api = await Session.GetApiAsync();
            _exec = await ExecSession.OpenAsync(api.Client, Namespace, Pod, Container, [Shell], _cts.Token);
        }
        catch (Exception e) when (!_cts.IsCancellationRequested)
        {
            _state = "failed";
            _exit = new ExecExit(null, ApiErrors.Describe(e).ToString());
            await WriteAsync($"\r\n\u001b[31m{_exit.Message}\u001b[0m\r\n");
            StateHasChanged();
            return;
        }

        if (_size is { } s)
        {
            _exec.Resize(s.Columns, s.Rows);
        }

        _state = "connected";
        StateHasChanged();
        _exit = await _exec.RunAsync(bytes => JS.InvokeVoidAsync("kubewebTerminals.write", _cts.Token, _id, bytes).AsTask(), _cts.Token);
        _state = "exited";
        await WriteAsync($"\r\n\u001b[2m[{_exit.Message}]\u001b[0m\r\n");
        StateHasChanged();
    }

    private async Task WriteAsync(string text)
    {
        try
        {
            await JS.InvokeVoidAsync("kubewebTerminals.write", _id, System.Text.Encoding.UTF8.GetBytes(text));
        }
        catch (JSDisconnectedException)
        {
        }
    }

    [JSInvokable]
    public void Input(string data) => _exec?.Input(data);

    [JSInvokable]
    public void Resize(int columns, int rows)
    {
        _size = (columns, rows);
        _exec?.Resize(columns, rows);
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        if (_exec is not null)
        {
            await _exec.DisposeAsync();
        }

        try
        {
            await JS.InvokeVoidAsync("kubewebTerminals.close", _id);
        }
        catch (JSDisconnectedException)
        {
        }
        catch (JSException)
        {
            // The scripts never loaded (the page left before), so there is nothing to close.
        }

        _self?.Dispose();
        _cts.Dispose();
    }
}
