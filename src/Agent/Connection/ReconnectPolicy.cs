using Microsoft.AspNetCore.SignalR.Client;

namespace KubeWeb.Agent.Connection;

/// <summary>
/// Reconnect forever: 0 s, then doubling from 250 ms up to the cap, with ±20 % jitter so a server
/// restart does not bring every agent of a large cluster back in the same instant.
/// </summary>
internal sealed class ReconnectPolicy(TimeSpan max, Random random) : IRetryPolicy
{
    public TimeSpan? NextRetryDelay(RetryContext retryContext) => Delay(retryContext.PreviousRetryCount, max, random);

    public static TimeSpan Delay(long attempt, TimeSpan max, Random random)
    {
        if (attempt == 0)
        {
            return TimeSpan.Zero;
        }

        var ms = Math.Min(max.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(attempt - 1, 16)));
        lock (random)
        {
            return TimeSpan.FromMilliseconds(ms * (0.8 + (0.4 * random.NextDouble())));
        }
    }
}
