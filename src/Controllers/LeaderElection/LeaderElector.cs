using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.LeaderElection;

/// <summary>Lease timings; the defaults are kube-controller-manager's.</summary>
public sealed record LeaderElectionOptions
{
    public string Namespace { get; init; } = "kube-system";

    public required string LeaseName { get; init; }

    public required string Identity { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Leader election through a <c>coordination.k8s.io/v1</c> Lease, as client-go's leaderelection:
/// acquire when the lease is free or expired, renew every retry period, give up leadership when
/// renewal has not succeeded within the renew deadline. Only the holder runs the work.
/// </summary>
public sealed partial class LeaderElector(IKubernetes client, LeaderElectionOptions options, TimeProvider time, ILogger<LeaderElector> log)
{
    /// <summary>Runs <paramref name="lead"/> each time this process becomes leader; it is cancelled when leadership is lost.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (!await TryAcquireOrRenewAsync(ct))
            {
                await Delay(options.RetryPeriod, ct);
                continue;
            }

            LogAcquired(options.Identity, options.LeaseName);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
            var lastRenew = time.GetUtcNow();
            while (!ct.IsCancellationRequested && !work.IsCompleted)
            {
                await Delay(options.RetryPeriod, ct);
                if (await TryAcquireOrRenewAsync(ct))
                {
                    lastRenew = time.GetUtcNow();
                }
                else if (time.GetUtcNow() - lastRenew > options.RenewDeadline)
                {
                    LogLost(options.Identity, options.LeaseName);
                    break;
                }
            }

            await leading.CancelAsync();
            try
            {
                await work;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            V1Lease lease;
            try
            {
                lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.Namespace, cancellationToken: ct);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
                {
                    Metadata = new V1ObjectMeta { Name = options.LeaseName, NamespaceProperty = options.Namespace },
                    Spec = Spec(now, now, 0),
                }, options.Namespace, cancellationToken: ct);
                return true;
            }

            var spec = lease.Spec ?? new V1LeaseSpec();
            var holder = spec.HolderIdentity;
            var renewed = spec.RenewTime ?? spec.AcquireTime ?? DateTime.MinValue;
            var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? (int)options.LeaseDuration.TotalSeconds);
            if (!string.IsNullOrEmpty(holder) && holder != options.Identity && renewed.ToUniversalTime() + duration > now)
            {
                return false;
            }

            var ours = holder == options.Identity;
            lease.Spec = Spec(ours ? spec.AcquireTime ?? now : now, now, ours ? spec.LeaseTransitions ?? 0 : (spec.LeaseTransitions ?? 0) + 1);
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.LeaseName, options.Namespace, cancellationToken: ct);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.Conflict)
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRenewFailed(e, options.LeaseName);
            return false;
        }
    }

    private V1LeaseSpec Spec(DateTime acquired, DateTime renewed, int transitions) => new()
    {
        HolderIdentity = options.Identity,
        LeaseDurationSeconds = (int)options.LeaseDuration.TotalSeconds,
        AcquireTime = acquired,
        RenewTime = renewed,
        LeaseTransitions = transitions,
    };

    private async Task Delay(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(LogLevel.Information, "{Identity} became leader of {Lease}")]
    private partial void LogAcquired(string identity, string lease);

    [LoggerMessage(LogLevel.Warning, "{Identity} lost leadership of {Lease}")]
    private partial void LogLost(string identity, string lease);

    [LoggerMessage(LogLevel.Debug, "Renewing lease {Lease} failed")]
    private partial void LogRenewFailed(Exception e, string lease);
}
