using Xunit;

namespace KubeWeb.E2E.Pods;

/// <summary>The kubectl steps the real-pod scenarios share: apply, wait for Running, read, delete, poll.</summary>
internal static class PodCommands
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task ApplyAsync(this Infrastructure.Kubectl kubectl, string yaml) =>
        (await kubectl.RunAsync(["apply", "-f", "-"], yaml)).Succeeded();

    public static async Task WaitRunningAsync(this Infrastructure.Kubectl kubectl, string pod) =>
        (await kubectl.RunAsync(["wait", $"pod/{pod}", "--for=jsonpath={.status.phase}=Running", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();

    /// <summary>Deletes with a one-second grace period, not waiting for the pod to go.</summary>
    public static async Task DeletePodAsync(this Infrastructure.Kubectl kubectl, string pod) =>
        (await kubectl.RunAsync("delete", "pod", pod, "--grace-period=1", "--wait=false")).Succeeded();

    public static async Task<string> PodJsonPathAsync(this Infrastructure.Kubectl kubectl, string pod, string path) =>
        (await kubectl.RunAsync("get", "pod", pod, "-o", "jsonpath=" + path)).Succeeded().Stdout;

    /// <summary>The pod's events as <c>reason TAB message</c> lines.</summary>
    public static async Task<string> PodEventsAsync(this Infrastructure.Kubectl kubectl, string pod) =>
        (await kubectl.RunAsync("get", "events", "--field-selector", "involvedObject.name=" + pod, "-o",
            "jsonpath={range .items[*]}{.reason}{\"\\t\"}{.message}{\"\\n\"}{end}")).Succeeded().Stdout;

    /// <summary>Reads until <paramref name="done"/> holds, failing the test after <see cref="Patience"/>.</summary>
    public static async Task<string> WaitForAsync(Func<Task<string>> read, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"condition not met within {Patience.TotalSeconds}s; last value: {value}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
