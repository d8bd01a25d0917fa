namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// Per-key exponential back-off as the kubelet keeps it for crash loops and image pulls: the first
/// failure is retried at once, then after the initial delay, doubling up to the maximum. Not
/// thread-safe: each pod's state is used under that pod's gate.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private readonly Dictionary<string, (TimeSpan Delay, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    /// <summary>True while <paramref name="key"/> must wait; <paramref name="until"/> says how long.</summary>
    public bool IsBackedOff(string key, DateTimeOffset now, out DateTimeOffset until, out TimeSpan delay)
    {
        if (_entries.TryGetValue(key, out var e) && now < e.Until)
        {
            until = e.Until;
            delay = e.Delay;
            return true;
        }

        until = now;
        delay = e.Delay;
        return false;
    }

    /// <summary>Records an attempt at <paramref name="now"/>: the next one waits the (doubled) delay.</summary>
    public DateTimeOffset Next(string key, DateTimeOffset now)
    {
        var delay = _entries.TryGetValue(key, out var e) ? TimeSpan.FromTicks(Math.Min(max.Ticks, e.Delay.Ticks * 2)) : initial;
        var until = now + delay;
        _entries[key] = (delay, until);
        return until;
    }

    public void Reset(string key) => _entries.Remove(key);

    /// <summary>Go's duration format, as kubelet messages print it ("10s", "1m20s", "5m0s").</summary>
    public static string Format(TimeSpan d) =>
        d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes}m{d.Seconds}s" : $"{(int)d.TotalSeconds}s";
}
