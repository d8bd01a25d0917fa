using System.Globalization;
using System.Net;
using k8s.Autorest;

namespace KubeWeb.Controllers.Runtime;

/// <summary>
/// Retries a call the API answered with 429 (its in-flight limit) after the Retry-After it sent,
/// as client-go's request retry does; the official C# client does not. Without it, a burst (a
/// ReplicaSet's slow-start batch of 256 creates, a wave of binds) failed whole syncs and sent work
/// through per-item back-off for seconds, although the server only asked for a short pause.
/// </summary>
internal static class Throttling
{
    private const int MaxAttempts = 10;
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(1);

    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, TimeProvider time, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
            {
                await Task.Delay(RetryAfter(e.Response), time, ct);
            }
        }
    }

    public static Task RetryAsync(Func<Task> call, TimeProvider time, CancellationToken ct) =>
        RetryAsync(async () =>
        {
            await call();
            return true;
        }, time, ct);

    private static TimeSpan RetryAfter(HttpResponseMessageWrapper response)
    {
        var seconds = response.Headers.TryGetValue("Retry-After", out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 1;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxRetryAfter.TotalSeconds));
    }
}
