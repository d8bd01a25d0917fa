namespace KubeWeb.Core.Agents;

/// <summary>
/// The sending side of a pod stream's flow control: how many data bytes the receiver still accepts.
/// A sender takes credit before it sends data; the receiver grants it back (a
/// <see cref="StreamFrameType.Credit"/> frame) once it consumed the bytes. Closing wakes every waiter
/// with <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class StreamCredit(int window)
{
    private readonly Lock _lock = new();
    private long _available = window;
    private bool _closed;
    private TaskCompletionSource? _waiter;

    /// <summary>Waits for credit and takes up to <paramref name="wanted"/> bytes of it (at least one).</summary>
    public async ValueTask<int> TakeAsync(int wanted, CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_closed)
                {
                    throw new OperationCanceledException("the stream closed");
                }

                if (_available > 0)
                {
                    var taken = (int)Math.Min(wanted, _available);
                    _available -= taken;
                    return taken;
                }

                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }

            await wait.WaitAsync(ct);
        }
    }

    public void Grant(int bytes)
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            _available += bytes;
            wake = _waiter;
            _waiter = null;
        }

        wake?.TrySetResult();
    }

    public void Close()
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            _closed = true;
            wake = _waiter;
            _waiter = null;
        }

        wake?.TrySetResult();
    }
}
