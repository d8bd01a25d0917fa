namespace KubeWeb.E2E.Infrastructure;

/// <summary>
/// Polling for the e2e scenarios: a condition is checked until it holds or the time is up, and once
/// more at the deadline (so a slow last poll is not mistaken for a failure).
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>True when <paramref name="condition"/> held within <paramref name="timeout"/> (default 30 s).</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200));
        }

        return await condition();
    }

    /// <summary>As <see cref="HoldsAsync"/>, failing the test with <paramref name="what"/> when it never held.</summary>
    public static async Task AssertAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? poll = null) =>
        Assert.True(await HoldsAsync(condition, timeout, poll), $"not within {(timeout ?? DefaultTimeout).TotalSeconds:F0} s: {what}");
}
