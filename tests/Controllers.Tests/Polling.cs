namespace KubeWeb.Controllers.Tests;

/// <summary>Waiting for controllers to converge in integration tests: poll, fail after 30 s.</summary>
internal static class Polling
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        T last = default!;
        await WaitUntilAsync(async () => done(last = await read()));
        return last;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(100);
        }
    }
}
