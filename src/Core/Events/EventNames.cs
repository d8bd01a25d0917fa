namespace KubeWeb.Core.Events;

/// <summary>
/// Names Events as client-go does: the involved object's name, a dot, and the time the event was
/// first seen in hexadecimal nanoseconds. Every recorder in the process shares one strictly
/// increasing clock, so names sort in the order events were recorded: the API lists by name, and
/// kubectl describe keeps that order for events stamped in the same second.
/// </summary>
public static class EventNames
{
    private static long s_last;

    public static string For(string objectName, DateTimeOffset now) => $"{objectName}.{NextNanos(now):x}";

    internal static long NextNanos(DateTimeOffset now)
    {
        var nanos = (now.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        while (true)
        {
            var last = Volatile.Read(ref s_last);
            var next = Math.Max(nanos, last + 1);
            if (Interlocked.CompareExchange(ref s_last, next, last) == last)
            {
                return next;
            }
        }
    }
}
