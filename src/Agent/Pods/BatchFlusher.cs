using System.Threading.Channels;

namespace KubeWeb.Agent.Pods;

/// <summary>
/// The send loop the agent's report batchers share (pod statuses, events): woken by
/// <see cref="Wake"/>, it waits the flush delay so that reports arriving together go out together,
/// then sends batches until none is left; a failed send is retried after a back-off that doubles
/// from <c>minBackoff</c> up to <c>maxBackoff</c>, and resets on success.
/// </summary>
internal sealed class BatchFlusher<T>(TimeProvider time, TimeSpan minBackoff, TimeSpan maxBackoff)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks for a flush; wakes coalesce.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Runs until <paramref name="ct"/> is cancelled. <paramref name="take"/> returns the next batch
    /// (empty when nothing is pending); <paramref name="send"/> returns true when the batch was settled.
    /// </summary>
    public async Task RunAsync(TimeSpan flushDelay, Func<List<T>> take, Func<List<T>, Task<bool>> send, CancellationToken ct)
    {
        var failures = 0;
        while (await _wake.Reader.WaitToReadAsync(ct))
        {
            _wake.Reader.TryRead(out _);
            await Task.Delay(flushDelay, time, ct);
            while (!ct.IsCancellationRequested)
            {
                var batch = take();
                if (batch.Count == 0)
                {
                    break;
                }

                if (await send(batch))
                {
                    failures = 0;
                    continue;
                }

                failures++;
                await Task.Delay(Backoff(failures), time, ct);
            }
        }
    }

    internal TimeSpan Backoff(int failures)
    {
        var ms = minBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 10));
        return TimeSpan.FromMilliseconds(Math.Min(ms, maxBackoff.TotalMilliseconds));
    }
}
