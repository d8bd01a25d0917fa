using k8s;
using k8s.Models;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KubeWeb.E2E.Console;

/// <summary>
/// The console's logs page and exec terminal on real containers (containerd): a line the container
/// prints after the page opened appears without reload, and <c>echo hi</c> typed into the terminal
/// prints <c>hi</c>. Run under <c>flock /tmp/kw-containerd.lock</c>.
/// </summary>
[Trait("Category", "E2E")]
[Trait("Category", "Browser")]
[Trait("Category", "Containerd")]
[Collection(ConsoleBrowserCollection.Name)]
public sealed class ConsoleContainerdTests(ConsoleContainerdFixture fx) : IClassFixture<ConsoleContainerdFixture>
{
    private static readonly LocatorAssertionsToHaveCountOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task LogsFollowALaterLine_AndExecTerminalRunsEchoHi()
    {
        await fx.Cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "talker", Labels = new Dictionary<string, string> { ["app"] = "talker" } },
            Spec = new V1PodSpec
            {
                TerminationGracePeriodSeconds = 1,
                Containers =
                [
                    new V1Container
                    {
                        Name = "main",
                        Image = "localhost/kubeweb/busybox:1.0",
                        Command = ["sh", "-c", "i=0; while true; do i=$((i+1)); echo line $i; sleep 1; done"],
                    },
                ],
            },
        }, "default");
        await WaitRunningAsync("talker");
        await Pods.ContainerdServer.WaitForHostNetworkQuietAsync();

        var page = await fx.NewPageAsync();
        try
        {
            await fx.SignInAsync(page);
            await ConsoleBrowser.GotoUntilAsync(page, "/r/pods/default/talker", "#open-logs");
            await page.ClickAsync("#open-logs");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Logs · pod/talker");
            await Expect(page.Locator("#log-streams [data-phase='Streaming']")).ToHaveCountAsync(1, Slow);
            await Expect(page.Locator("#log-lines .kw-log-line").First).ToBeVisibleAsync();

            // A line numbered past everything shown now can only have been printed after the page opened.
            var last = await LastNumberAsync(page);
            await Expect(page.Locator("#log-lines .kw-log-line", new() { HasTextString = $"line {last + 3}" })).ToHaveCountAsync(1, Slow);
            Assert.True(await page.EvaluateAsync<bool>("() => !!document.getElementById('log-lines')"), "the log pane is gone");

            // Search filters and highlights; timestamps show the runtime's time.
            await page.Locator("#log-search input, input#log-search").First.FillAsync($"line {last + 3}");
            await Expect(page.Locator("#log-lines .kw-log-line")).ToHaveCountAsync(1);
            await Expect(page.Locator("#log-lines mark")).ToHaveTextAsync($"line {last + 3}");
            await page.Locator("#log-search input, input#log-search").First.FillAsync("");
            await page.Locator("#log-toolbar label", new() { HasTextString = "Timestamps" }).ClickAsync();
            await Expect(page.Locator("#log-lines .kw-log-ts").First).ToContainTextAsync(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            await fx.ScreenshotAsync(page, "30-logs-pod");

            // Previous asks for the last terminated instance, which this never-restarted container lacks.
            await page.Locator("#log-toolbar label", new() { HasTextString = "Previous" }).ClickAsync();
            await Expect(page.Locator("[data-stream-problem='pod/talker/main']")).ToContainTextAsync("previous terminated container");
            await Expect(page.Locator("#log-empty")).ToBeVisibleAsync();

            // Exec: sh in the container, type a command, read the answer from the terminal.
            await ConsoleBrowser.GotoUntilAsync(page, "/r/pods/default/talker", "#open-exec");
            await page.ClickAsync("#open-exec");
            await Expect(page.Locator("#exec-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 60_000 });
            await page.Locator("#exec-terminal").ClickAsync();
            await page.Keyboard.TypeAsync("echo h''i\n");
            await page.WaitForFunctionAsync("() => kubewebTerminals.text('exec-terminal').split('\\n').some(l => l.trim() === 'hi')", null, new() { Timeout = 30_000 });
            await fx.ScreenshotAsync(page, "31-exec");

            // The terminal's size reached the tty through the resize channel.
            var size = await page.EvaluateAsync<int[]>("() => [kubewebTerminals['exec-terminal'].term.rows, kubewebTerminals['exec-terminal'].term.cols]");
            await page.Keyboard.TypeAsync("stty size\n");
            await page.WaitForFunctionAsync($"() => kubewebTerminals.text('exec-terminal').split('\\n').some(l => l.trim() === '{size[0]} {size[1]}')", null, new() { Timeout = 30_000 });
            await page.Keyboard.TypeAsync("exit 3\n");
            await Expect(page.Locator("#exec-status")).ToHaveAttributeAsync("data-exit", "3", new() { Timeout = 30_000 });
        }
        finally
        {
            await ConsoleBrowser.CloseAsync(page);
            await fx.Cluster.Client.CoreV1.DeleteNamespacedPodAsync("talker", "default", gracePeriodSeconds: 0);
        }

        Assert.Empty(fx.ExternalRequests);
    }

    private static async Task<int> LastNumberAsync(IPage page)
    {
        var texts = await page.Locator("#log-lines .kw-log-line").AllTextContentsAsync();
        return texts.Select(t => t.Trim()).Where(t => t.StartsWith("line ", StringComparison.Ordinal))
            .Select(t => int.Parse(t[5..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
    }

    private async Task WaitRunningAsync(string name)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while ((await fx.Cluster.Client.CoreV1.ReadNamespacedPodAsync(name, "default")).Status?.Phase != "Running")
        {
            Assert.True(DateTime.UtcNow < until, $"pod {name} did not start");
            await Task.Delay(250);
        }
    }
}
