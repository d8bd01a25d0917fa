using System.Collections.Concurrent;
using Grpc.Core;
using k8s.Models;
using KubeWeb.Agent.Cri.V1;
using KubeWeb.Agent.Pods;
using KubeWeb.Agent.Probes;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// Probing (CRI ExecSync) and lifecycle hooks: postStart right after a container starts (a
/// failure kills it), preStop before SIGTERM within the grace period, the stop then getting what is
/// left of it (at least two seconds, as the kubelet).
/// </summary>
public sealed partial class ContainerdRuntime : IContainerProbeTarget
{
    private static readonly TimeSpan MinimumGrace = TimeSpan.FromSeconds(2);

    /// <summary>Containers whose preStop hook already ran: a second, shorter kill does not run it again.</summary>
    private readonly ConcurrentDictionary<string, bool> _preStopRan = new(StringComparer.Ordinal);

    private HandlerRunner? _handlers;

    private IStartupResults? _startup;

    public void UseStartupResults(IStartupResults results) => _startup = results;

    private HandlerRunner Handlers => _handlers ??= new HandlerRunner(this, HandlerRunner.CreateHttpClient(), _time);

    public async Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
    {
        var request = new ExecSyncRequest { ContainerId = CriId(containerId), Timeout = (long)Math.Ceiling(timeout.TotalSeconds) };
        request.Cmd.AddRange(command);
        DateTime? deadline = timeout > TimeSpan.Zero ? DateTime.UtcNow + timeout + TimeSpan.FromSeconds(5) : null;
        try
        {
            var response = await _cri.Runtime.ExecSyncAsync(request, deadline: deadline, cancellationToken: ct);
            return new ExecResult(response.ExitCode, response.Stdout.ToStringUtf8() + response.Stderr.ToStringUtf8());
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded || e.Status.Detail.Contains("timeout", StringComparison.OrdinalIgnoreCase))
        {
            throw new TimeoutException(e.Status.Detail, e);
        }
    }

    public async Task KillContainerAsync(V1Pod pod, string containerName, string containerId, TimeSpan grace, string message, CancellationToken ct)
    {
        var id = CriId(containerId);
        var status = await StatusAsync(id, ct);
        if (status is not { State: KubeWeb.Agent.Cri.V1.ContainerState.ContainerRunning })
        {
            return;
        }

        var spec = pod.Spec.Containers?.FirstOrDefault(c => c.Name == containerName);
        var sidecar = spec is null ? Sidecars.Of(pod.Spec).FirstOrDefault(c => c.Name == containerName) : null;
        ContainerEvent(pod, sidecar is not null, containerName, "Normal", "Killing", message);
        spec ??= sidecar;
        await StopContainerAsync(State(pod.Metadata.Uid), pod, spec, id, grace, ct);
        Changed(pod.Metadata.Uid);
    }

    /// <summary>Runs the postStart hook of a container just started; on failure records FailedPostStartHook, kills it and returns false.</summary>
    private async Task<bool> PostStartAsync(Target t, V1Container spec, bool init, string id, CancellationToken ct)
    {
        if (spec.Lifecycle?.PostStart is not { } hook)
        {
            return true;
        }

        string? error;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, t.State.Killed.Token);
        try
        {
            error = await Handlers.HookAsync(hook, t.Pod, spec, id, t.Ip, TimeSpan.Zero, cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The pod is being killed: its stop takes the container down.
            return false;
        }
        catch (Exception e) when (e is RpcException or HttpRequestException or IOException)
        {
            error = e.Message;
        }

        if (error is null)
        {
            return true;
        }

        ContainerEvent(t.Pod, init, spec.Name, "Warning", "FailedPostStartHook", error);
        ContainerEvent(t.Pod, init, spec.Name, "Normal", "Killing", "FailedPostStartHook");
        LogPostStartFailed(_log, t.Pod.Metadata.NamespaceProperty, t.Pod.Metadata.Name, spec.Name, error);
        await StopContainerAsync(t.State, t.Pod, spec, id, TimeSpan.FromSeconds(t.Pod.Spec.TerminationGracePeriodSeconds ?? 30), ct);
        t.State.Waiting[PodState.Key(init, spec.Name)] = ("PostStartHookError", error);
        return false;
    }

    /// <summary>
    /// preStop (once per container, bounded by <paramref name="grace"/>), then StopContainer with the
    /// rest: containerd sends SIGTERM and SIGKILL at the end of it.
    /// </summary>
    private async Task StopContainerAsync(PodState st, V1Pod? pod, V1Container? spec, string id, TimeSpan grace, CancellationToken ct)
    {
        var remaining = grace;
        if (pod is not null && spec?.Lifecycle?.PreStop is { } hook && grace > TimeSpan.Zero && _preStopRan.TryAdd(id, true))
        {
            var started = _time.GetTimestamp();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(grace);
            string? error;
            try
            {
                error = await Handlers.HookAsync(hook, pod, spec, id, PodIp(st), grace, cts.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                error = $"PreStopHook for Container \"{spec.Name}\" in Pod \"{PodDescription(pod)}\" did not complete in {grace.TotalSeconds}s";
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or IOException or TimeoutException)
            {
                error = e.Message;
            }

            if (error is not null)
            {
                ContainerEvent(pod, spec.IsSidecar(), spec.Name, "Warning", "FailedPreStopHook", error);
            }

            remaining = grace - _time.GetElapsedTime(started);
            if (remaining < MinimumGrace)
            {
                remaining = MinimumGrace;
            }
        }

        try
        {
            await _cri.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = (long)Math.Ceiling(Math.Max(0, remaining.TotalSeconds)) }, cancellationToken: ct);
        }
        catch (RpcException e) when (CriClient.IsNotFound(e))
        {
        }

        _exited.TryRemove(id, out _);
    }

    private static string? PodIp(PodState st) => st.Ips.Values.FirstOrDefault(ip => ip.Length > 0);

    private static string CriId(string containerId) =>
        containerId.StartsWith("containerd://", StringComparison.Ordinal) ? containerId["containerd://".Length..] : containerId;

    [LoggerMessage(LogLevel.Information, "Pod {Namespace}/{Name}: postStart hook of {Container} failed: {Error}")]
    private static partial void LogPostStartFailed(ILogger log, string? @namespace, string name, string container, string error);
}
