using System.Globalization;
using k8s.Models;
using KubeWeb.Web.Components.Controls;

namespace KubeWeb.Web.Components.Pages.Pods;

/// <summary>Container facts in the words <c>kubectl describe pod</c> uses.</summary>
public static class PodContainerText
{
    public static string State(V1ContainerStatus? status) => status?.State switch
    {
        { Running: not null } => "Running",
        { Terminated: { } t } => t.Reason ?? "Terminated",
        { Waiting: { } w } => w.Reason ?? "Waiting",
        _ => "Waiting",
    };

    public static string StateDetail(V1ContainerState? state, DateTimeOffset now) => state switch
    {
        { Running: { } r } => r.StartedAt is { } s ? $"Running, started {Age.Format(now - s)} ago" : "Running",
        { Terminated: { } t } => $"Terminated: {t.Reason ?? "Completed"}, exit code {t.ExitCode}" + (t.Message is { } m ? $" ({m})" : ""),
        { Waiting: { } w } => $"Waiting: {w.Reason ?? "pending"}" + (w.Message is { } m ? $" ({m})" : ""),
        _ => "Not started",
    };

    public static string Resources(IDictionary<string, ResourceQuantity>? values) =>
        values is null || values.Count == 0 ? "none" : string.Join(", ", values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value}"));

    /// <summary>As kubectl describe: <c>http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3</c>.</summary>
    public static string Probe(V1Probe p)
    {
        var action = p switch
        {
            { HttpGet: { } h } => $"http-get {(h.Scheme ?? "HTTP").ToLowerInvariant()}://{h.Host}:{h.Port}{h.Path}",
            { TcpSocket: { } t } => $"tcp-socket {t.Host}:{t.Port}",
            { Exec: { } e } => $"exec [{string.Join(' ', e.Command ?? [])}]",
            { Grpc: { } g } => $"grpc <pod>:{g.Port} {g.Service}",
            _ => "unknown",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"{action} delay={p.InitialDelaySeconds ?? 0}s timeout={p.TimeoutSeconds ?? 1}s period={p.PeriodSeconds ?? 10}s #success={p.SuccessThreshold ?? 1} #failure={p.FailureThreshold ?? 3}");
    }
}
