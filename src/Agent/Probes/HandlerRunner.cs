using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using k8s.Models;
using KubeWeb.Agent.Probes.Health;

namespace KubeWeb.Agent.Probes;

public enum ProbeResult
{
    Unknown,
    Success,
    Failure,
}

/// <summary>The result of one probe run, with the output the kubelet puts in the Unhealthy event.</summary>
internal readonly record struct ProbeOutcome(ProbeResult Result, string Output);

/// <summary>
/// Runs probe and lifecycle handlers as the kubelet's prober and handler runner: exec (in the
/// container), httpGet (scheme, host defaulting to the pod IP, path, port by number or name,
/// headers; 200-399 is success; https skips verification), tcpSocket (a connect), grpc (the
/// standard health service; SERVING is success) and, for hooks, sleep.
/// </summary>
internal sealed class HandlerRunner(IContainerExec exec, HttpMessageInvoker http, TimeProvider time)
{
    public const string UserAgent = "kube-probe/1.32";

    /// <summary>A handler for the kubelet's probes: no redirects across hosts, no certificate checks, no proxy.</summary>
    public static HttpMessageInvoker CreateHttpClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
#pragma warning disable CA5359 // As the kubelet: https probes do not verify the pod's certificate (InsecureSkipVerify).
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
    });

    public async Task<ProbeOutcome> ProbeAsync(V1Probe probe, V1Container container, string containerId, string? podIp, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds ?? 1));
        if (probe.Exec is { } e)
        {
            var command = e.Command ?? [];
            try
            {
                var result = await exec.ExecAsync(containerId, [.. command], timeout, ct);
                return new ProbeOutcome(result.ExitCode == 0 ? ProbeResult.Success : ProbeResult.Failure, result.Output);
            }
            catch (TimeoutException)
            {
                return new ProbeOutcome(ProbeResult.Failure, $"command \"{string.Join(' ', command)}\" timed out");
            }
        }

        if (probe.HttpGet is { } get)
        {
            return await HttpAsync(get, container, podIp, timeout, ct);
        }

        if (probe.TcpSocket is { } tcp)
        {
            return await TcpAsync(tcp.Host is { Length: > 0 } h ? h : podIp, ResolvePort(tcp.Port, container), timeout, ct);
        }

        if (probe.Grpc is { } grpc)
        {
            return await GrpcAsync(podIp, grpc.Port, grpc.Service ?? "", timeout, ct);
        }

        return new ProbeOutcome(ProbeResult.Unknown, "missing probe handler");
    }

    /// <summary>Runs a postStart or preStop handler; null on success, else the error for the Failed*Hook event.</summary>
    public async Task<string?> HookAsync(V1LifecycleHandler handler, V1Pod pod, V1Container container, string containerId, string? podIp, TimeSpan timeout, CancellationToken ct)
    {
        var who = $"for Container \"{container.Name}\" in Pod \"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})\"";
        if (handler.Exec is { } e)
        {
            var command = e.Command ?? [];
            string error;
            try
            {
                var result = await exec.ExecAsync(containerId, [.. command], timeout, ct);
                if (result.ExitCode == 0)
                {
                    return null;
                }

                error = $"command '{string.Join(' ', command)}' exited with {result.ExitCode}: {result.Output}";
            }
            catch (TimeoutException)
            {
                error = $"command '{string.Join(' ', command)}' timed out";
            }

            return $"Exec lifecycle hook ([{string.Join(' ', command)}]) {who} failed - error: {error}, message: \"\"";
        }

        if (handler.HttpGet is { } get)
        {
            var outcome = await HttpAsync(get, container, podIp, timeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : timeout, ct);
            return outcome.Result == ProbeResult.Success ? null : $"HTTP lifecycle hook ({get.Path}) {who} failed - error: {outcome.Output}";
        }

        if (handler.Sleep is { } sleep)
        {
            var wait = TimeSpan.FromSeconds(Math.Max(0, sleep.Seconds));
            await Task.Delay(timeout > TimeSpan.Zero && timeout < wait ? timeout : wait, time, ct);
            return null;
        }

        return handler.TcpSocket is not null ? null : $"Cannot run handler: invalid handler {who}";
    }

    private async Task<ProbeOutcome> HttpAsync(V1HTTPGetAction get, V1Container container, string? podIp, TimeSpan timeout, CancellationToken ct)
    {
        var scheme = string.Equals(get.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var host = get.Host is { Length: > 0 } h ? h : podIp ?? "127.0.0.1";
        var port = ResolvePort(get.Port, container);
        var path = get.Path is { Length: > 0 } p ? (p.StartsWith('/') ? p : "/" + p) : "/";
        var hostPart = IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        var url = $"{scheme}://{hostPart}:{port}{path}";
        if (port is <= 0 or > 65535)
        {
            return new ProbeOutcome(ProbeResult.Failure, $"invalid port {get.Port?.Value}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        // As the kubelet (DisableKeepAlives): a pooled connection to a restarted container would fail a probe for nothing.
        request.Headers.ConnectionClose = true;
        foreach (var header in get.HttpHeaders ?? [])
        {
            if (string.Equals(header.Name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = header.Value;
                continue;
            }

            request.Headers.Remove(header.Name);
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            cts.CancelAfter(timeout);
        }

        try
        {
            using var response = await http.SendAsync(request, cts.Token);
            var code = (int)response.StatusCode;
            var body = await ReadPrefixAsync(response, cts.Token);
            return code is >= 200 and < 400
                ? new ProbeOutcome(ProbeResult.Success, body)
                : new ProbeOutcome(ProbeResult.Failure, $"HTTP probe failed with statuscode: {code}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ProbeOutcome(ProbeResult.Failure, $"Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException e)
        {
            var cause = e.InnerException is SocketException s ? $"dial tcp {hostPart}:{port}: connect: {Describe(s)}" : e.Message;
            return new ProbeOutcome(ProbeResult.Failure, $"Get \"{url}\": {cause}");
        }
    }

    private static async Task<string> ReadPrefixAsync(HttpResponseMessage response, CancellationToken ct)
    {
        // The kubelet keeps at most 10 KiB of a probe's body.
        var buffer = new byte[10 * 1024];
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0)
        {
            read += n;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static async Task<ProbeOutcome> TcpAsync(string? host, int port, TimeSpan timeout, CancellationToken ct)
    {
        var target = $"{host}:{port}";
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host ?? "127.0.0.1", port, cts.Token);
            return new ProbeOutcome(ProbeResult.Success, "");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ProbeOutcome(ProbeResult.Failure, $"dial tcp {target}: i/o timeout");
        }
        catch (SocketException e)
        {
            return new ProbeOutcome(ProbeResult.Failure, $"dial tcp {target}: connect: {Describe(e)}");
        }
    }

    private static async Task<ProbeOutcome> GrpcAsync(string? host, int port, string service, TimeSpan timeout, CancellationToken ct)
    {
        var target = $"{host}:{port}";
        using var channel = GrpcChannel.ForAddress($"http://{target}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseProxy = false } });
        var client = new Health.Health.HealthClient(channel);
        try
        {
            var response = await client.CheckAsync(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow + timeout, cancellationToken: ct);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? new ProbeOutcome(ProbeResult.Success, "")
                : new ProbeOutcome(ProbeResult.Failure, $"service unhealthy (responded with \"{response.Status.ToString().ToUpperInvariant()}\")");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            return new ProbeOutcome(ProbeResult.Failure, $"timeout: health rpc did not complete within {timeout.TotalSeconds}s");
        }
        catch (RpcException e)
        {
            return new ProbeOutcome(ProbeResult.Failure, $"error: health rpc probe failed: {e.Status.Detail}");
        }
    }

    /// <summary>A port by number, or by the name of one of the container's ports; -1 when the name is unknown.</summary>
    internal static int ResolvePort(IntOrString? port, V1Container container)
    {
        var value = port?.Value ?? "";
        if (int.TryParse(value, out var number))
        {
            return number;
        }

        return container.Ports?.FirstOrDefault(p => p.Name == value)?.ContainerPort ?? -1;
    }

    private static string Describe(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException { SocketErrorCode: SocketError.HostUnreachable or SocketError.NetworkUnreachable } => "no route to host",
        _ => e.Message,
    };
}
