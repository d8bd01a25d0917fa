namespace KubeWeb.Controllers.Apps;

/// <summary>
/// Upstream slowStartBatch: runs <paramref name="count"/> calls in batches of 1, 2, 4, ... so a
/// failing call (quota, webhook, a deleted namespace) fails fast instead of being tried count times.
/// </summary>
internal static class SlowStart
{
    public static async Task<(int Successes, Exception? Error)> RunAsync(int count, int initialBatch, Func<int, Task> call)
    {
        var remaining = count;
        var successes = 0;
        var index = 0;
        for (var batch = Math.Min(remaining, initialBatch); batch > 0; batch = Math.Min(2 * batch, remaining))
        {
            var start = index;
            var tasks = Enumerable.Range(start, batch).Select(i => Task.Run(() => call(i))).ToArray();
            index += batch;
            try
            {
                await Task.WhenAll(tasks);
            }
            catch
            {
                // Inspected below: every failure counts, the first is reported.
            }

            var failed = tasks.Where(t => t.IsFaulted || t.IsCanceled).ToList();
            successes += batch - failed.Count;
            if (failed.Count > 0)
            {
                return (successes, failed[0].Exception?.InnerException ?? new TaskCanceledException());
            }

            remaining -= batch;
        }

        return (successes, null);
    }
}
