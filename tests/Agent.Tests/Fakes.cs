using System.Collections.Concurrent;
using System.Text;
using k8s.Models;
using KubeWeb.Agent.Pods;
using KubeWeb.Agent.Runtime;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Agent.Tests;

/// <summary>A status sink that records every report.</summary>
internal sealed class RecordingSink : IPodStatusSink
{
    public ConcurrentQueue<PodStatusReport> Reports { get; } = new();

    public ConcurrentQueue<string> Forgotten { get; } = new();

    public void Report(PodStatusReport report) => Reports.Enqueue(report);

    public void Forget(string podUid) => Forgotten.Enqueue(podUid);

    public V1PodStatus Last(string uid) =>
        KubeJson.Deserialize<V1PodStatus>(Encoding.UTF8.GetBytes(Reports.Last(r => r.Uid == uid).Status))!;
}

/// <summary>A real runtime (the simulated one) with every call recorded.</summary>
internal sealed class RecordingRuntime(IPodRuntime inner) : IPodRuntime
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public string Version => inner.Version;

    public event Action<string>? PodChanged
    {
        add => inner.PodChanged += value;
        remove => inner.PodChanged -= value;
    }

    public Task UpdatePodCidrAsync(string podCidr, CancellationToken ct) => inner.UpdatePodCidrAsync(podCidr, ct);

    // Calls are recorded after the inner call started, so its timers exist once a test sees the call.
    public Task SyncPodAsync(V1Pod pod, CancellationToken ct)
    {
        var task = inner.SyncPodAsync(pod, ct);
        Calls.Enqueue($"sync {pod.Metadata.Name}");
        return task;
    }

    public Task KillPodAsync(string podUid, TimeSpan gracePeriod, CancellationToken ct)
    {
        var task = inner.KillPodAsync(podUid, gracePeriod, ct);
        Calls.Enqueue($"kill {podUid} {gracePeriod.TotalSeconds}s");
        return task;
    }

    public Task RemovePodAsync(string podUid, CancellationToken ct)
    {
        Calls.Enqueue($"remove {podUid}");
        return inner.RemovePodAsync(podUid, ct);
    }

    public Task<RuntimePod?> GetPodAsync(string podUid, CancellationToken ct) => inner.GetPodAsync(podUid, ct);

    public Task<IReadOnlyList<RuntimePod>> ListPodsAsync(CancellationToken ct) => inner.ListPodsAsync(ct);
}

/// <summary>A status client that records batches and answers with a configurable outcome per pod name.</summary>
internal sealed class FakeStatusClient : IPodStatusClient
{
    public ConcurrentQueue<IReadOnlyList<PodStatusReport>> Batches { get; } = new();

    public Func<PodStatusReport, PodStatusOutcome> Outcome { get; set; } = _ => PodStatusOutcome.Applied;

    public int FailCalls { get; set; }

    /// <summary>When set, calls wait for it: a batch stays in flight until the test releases it.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public async Task<IReadOnlyList<PodStatusResult>> ReportPodStatusesAsync(IReadOnlyList<PodStatusReport> reports, CancellationToken ct)
    {
        Batches.Enqueue(reports);
        if (Hold is { } hold)
        {
            await hold.Task;
        }

        if (FailCalls > 0)
        {
            FailCalls--;
            throw new InvalidOperationException("connection lost");
        }

        return [.. reports.Select(r => new PodStatusResult(r.Namespace, r.Name, r.Uid, Outcome(r), null))];
    }
}

internal static class TestPods
{
    public static V1Pod Pod(string name, string? uid = null, string image = "nginx:1.25", long? grace = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = uid ?? "uid-" + name, CreationTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        Spec = new V1PodSpec { NodeName = "n1", TerminationGracePeriodSeconds = grace, Containers = [new V1Container { Name = "app", Image = image }] },
        Status = new V1PodStatus { Phase = "Pending", QosClass = "BestEffort" },
    };

    public static PodChange Upsert(V1Pod pod) =>
        new(PodChangeType.Upsert, pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, Encoding.UTF8.GetString(KubeJson.SerializeToUtf8(pod)));

    public static PodChange Delete(V1Pod pod) =>
        new(PodChangeType.Delete, pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, null);

    /// <summary>
    /// Advances fake time in small steps until <paramref name="condition"/> holds: background loops
    /// create their timers asynchronously, so one big advance could come before the timer exists.
    /// </summary>
    public static async Task AdvanceUntil(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan step, Func<bool> condition, string what)
    {
        for (var i = 0; i < 500; i++)
        {
            if (condition())
            {
                return;
            }

            time.Advance(step);
            await Task.Delay(10);
        }

        Assert.Fail($"timed out waiting for {what}");
    }

    /// <summary>Polls (on the wall clock: only for waiting on background tasks, never for timing logic).</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        for (var i = 0; i < 500; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"timed out waiting for {what}");
    }
}
