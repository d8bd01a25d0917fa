using System.Net.WebSockets;
using Grpc.Core;
using KubeWeb.Agent.Cri.V1;
using KubeWeb.Agent.Streams;
using KubeWeb.Agent.Streams.Logs;
using KubeWeb.Core.Agents;
using Microsoft.Extensions.Logging;
using CriState = KubeWeb.Agent.Cri.V1.ContainerState;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// Pod streams through CRI: logs are read from the CRI log file of the container's current (or, for
/// <c>previous</c>, prior) attempt; exec, attach and port-forward ask CRI for a fresh streaming URL
/// and speak the WebSocket channel protocol (<c>v4.channel.k8s.io</c>) to containerd's streaming
/// server (see <see cref="CriWebSocketProcess"/> and <see cref="CriPortForward"/>).
/// </summary>
public sealed partial class ContainerdRuntime : IPodStreams
{
    public async Task<IPodLogReader> OpenLogsAsync(PodStreamTarget target, PodLogRequest options, CancellationToken ct)
    {
        var (name, instances) = await ResolveAsync(target, ct);
        Container c;
        if (options.Previous)
        {
            if (instances.Count < 2)
            {
                throw new PodStreamException(400, $"previous terminated container \"{name}\" in pod \"{target.Name}\" not found");
            }

            c = instances[1];
            var path = await LogPathAsync(c, ct);
            return new CriLogReader(path, options, () => false, _time);
        }

        c = instances[0];
        var current = await LogPathAsync(c, ct);
        var id = c.Id;
        return new CriLogReader(current, options, () => IsRunning(id), _time);
    }

    public async Task<IContainerProcess> ExecAsync(PodStreamTarget target, PodExecRequest request, CancellationToken ct)
    {
        if (request.Command.Count == 0)
        {
            throw new PodStreamException(400, "you must specify at least one command for the container");
        }

        var c = await RequireRunningAsync(target, ct);
        var exec = new ExecRequest
        {
            ContainerId = c.Id,
            Tty = request.Tty,
            Stdin = request.Stdin,
            Stdout = request.Stdout || request.Tty,
            Stderr = request.Stderr && !request.Tty,
        };
        exec.Cmd.AddRange(request.Command);
        string url;
        try
        {
            url = (await _cri.Runtime.ExecAsync(exec, cancellationToken: ct)).Url;
        }
        catch (RpcException e)
        {
            throw new PodStreamException(500, $"error executing command in container: {e.Status.Detail}");
        }

        return await ConnectProcessAsync(url, request, ct);
    }

    public async Task<IContainerProcess> AttachAsync(PodStreamTarget target, PodExecRequest request, CancellationToken ct)
    {
        var c = await RequireRunningAsync(target, ct);
        var attach = new AttachRequest
        {
            ContainerId = c.Id,
            Tty = request.Tty,
            Stdin = request.Stdin,
            Stdout = request.Stdout || request.Tty,
            Stderr = request.Stderr && !request.Tty,
        };
        string url;
        try
        {
            url = (await _cri.Runtime.AttachAsync(attach, cancellationToken: ct)).Url;
        }
        catch (RpcException e)
        {
            throw new PodStreamException(500, $"error attaching to container: {e.Status.Detail}");
        }

        return await ConnectProcessAsync(url, request, ct);
    }

    public async Task<Stream> PortForwardAsync(PodStreamTarget target, int port, CancellationToken ct)
    {
        var view = await ObserveAsync(target.Uid, ct);
        if (view.Current is not { State: PodSandboxState.SandboxReady } sandbox)
        {
            throw new PodStreamException(404, $"pod \"{target.Name}\" (uid {target.Uid}) is not running on this node");
        }

        var request = new PortForwardRequest { PodSandboxId = sandbox.Id };
        request.Port.Add(port);
        string url;
        try
        {
            url = (await _cri.Runtime.PortForwardAsync(request, cancellationToken: ct)).Url;
        }
        catch (RpcException e)
        {
            throw new PodStreamException(500, $"error forwarding port {port} to pod {target.Uid}: {e.Status.Detail}");
        }

        return await CriPortForward.ConnectAsync(url, port, e => LogPortForwardFailed(_log, target.Namespace, target.Name, port, e), ct);
    }

    /// <summary>The pod's container (defaulting to the first app container), with its attempts newest first.</summary>
    private async Task<(string Name, List<Container> Instances)> ResolveAsync(PodStreamTarget target, CancellationToken ct)
    {
        var view = await ObserveAsync(target.Uid, ct);
        if (view.Current is null)
        {
            throw new PodStreamException(404, $"pod \"{target.Name}\" (uid {target.Uid}) is not running on this node");
        }

        var name = target.Container;
        if (name is null)
        {
            var pod = State(target.Uid).Pod;
            name = pod?.Spec.Containers?.FirstOrDefault()?.Name
                ?? view.Containers.Keys.Where(k => k.StartsWith("app/", StringComparison.Ordinal)).Select(k => k[4..]).FirstOrDefault();
        }

        if (name is not null)
        {
            if (view.Containers.TryGetValue(PodState.Key(false, name), out var app) && app.Count > 0)
            {
                return (name, app);
            }

            if (view.Containers.TryGetValue(PodState.Key(true, name), out var init) && init.Count > 0)
            {
                return (name, init);
            }

            var spec = State(target.Uid).Pod?.Spec;
            if (spec is not null && ((spec.Containers?.Any(c => c.Name == name) ?? false) || (spec.InitContainers?.Any(c => c.Name == name) ?? false)))
            {
                throw new PodStreamException(400, $"container \"{name}\" in pod \"{target.Name}\" is waiting to start: ContainerCreating");
            }
        }

        throw new PodStreamException(400, $"container {target.Container} is not valid for pod {target.Name}");
    }

    private async Task<Container> RequireRunningAsync(PodStreamTarget target, CancellationToken ct)
    {
        var (name, instances) = await ResolveAsync(target, ct);
        return instances[0] is { State: CriState.ContainerRunning } c
            ? c
            : throw new PodStreamException(400, $"container not found (\"{name}\")");
    }

    private async Task<string> LogPathAsync(Container c, CancellationToken ct)
    {
        try
        {
            var status = await _cri.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = c.Id }, cancellationToken: ct);
            return status.Status.LogPath;
        }
        catch (RpcException e) when (CriClient.IsNotFound(e))
        {
            throw new PodStreamException(404, $"container \"{c.Metadata.Name}\" was removed");
        }
    }

    /// <summary>Whether a followed log may still grow (asked only when the file has no new data).</summary>
    private bool IsRunning(string containerId)
    {
        try
        {
            var status = _cri.Runtime.ContainerStatus(new ContainerStatusRequest { ContainerId = containerId }, deadline: DateTime.UtcNow.AddSeconds(5));
            return status.Status.State is CriState.ContainerRunning or CriState.ContainerCreated;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    /// <summary>
    /// WebSocket (v4) unless stdin is wanted: v4 cannot end stdin alone (closing the socket also drops the
    /// output and the exit status), so those sessions use SPDY, whose streams close one by one.
    /// </summary>
    private static Task<IContainerProcess> ConnectProcessAsync(string url, PodExecRequest request, CancellationToken ct) =>
        request.Stdin ? CriSpdyProcess.ConnectAsync(url, request, ct) : CriWebSocketProcess.ConnectAsync(url, request, ct);

    internal static async Task<ClientWebSocket> ConnectWebSocketAsync(string url, CancellationToken ct)
    {
        var uri = new Uri(url.Replace("http://", "ws://", StringComparison.Ordinal).Replace("https://", "wss://", StringComparison.Ordinal));
        var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("v4.channel.k8s.io");
        ws.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        try
        {
            await ws.ConnectAsync(uri, ct);
            return ws;
        }
        catch (WebSocketException e)
        {
            ws.Dispose();
            throw new PodStreamException(500, $"could not connect to the container runtime's stream: {e.Message}");
        }
    }

    [LoggerMessage(LogLevel.Information, "Port-forward to {Namespace}/{Name}:{Port} failed: {Reason}")]
    private static partial void LogPortForwardFailed(ILogger log, string @namespace, string name, int port, string reason);
}
