using k8s;
using k8s.Models;
using KubeWeb.Agent.Runtime.Simulated;
using KubeWeb.E2E.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KubeWeb.E2E.Console;

public sealed partial class ConsoleClusterTests
{
    /// <summary>
    /// A deployment's logs page follows every pod at once: a simulated node whose containers print a
    /// <c>tick N</c> line each second (tainted so only this test's pods land there), two replicas, lines
    /// prefixed per pod, and a tick printed after the page opened appears without reload.
    /// </summary>
    [Fact]
    public async Task DeploymentLogs_FollowEveryPod_PrefixedByPod()
    {
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        await using var ticker = SimulatedAgents.Start(fx.Cluster.Server, fx.Cluster.DataDir, "ticker", 1,
            new SimulatedRuntimeOptions { StartDelay = TimeSpan.FromMilliseconds(100), TerminationScale = 0.05, LogInterval = TimeSpan.FromSeconds(1) },
            loggers, labels: new() { ["logs"] = "ticker" }, taints: [new V1Taint { Key = "logs", Value = "only", Effect = "NoSchedule" }]);
        await Task.WhenAll(ticker.Nodes.Select(n => n.Registered)).WaitAsync(TimeSpan.FromSeconds(30));
        await fx.Cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "ticker" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "ticker" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "ticker" } },
                    Spec = new V1PodSpec
                    {
                        NodeSelector = new Dictionary<string, string> { ["logs"] = "ticker" },
                        Tolerations = [new V1Toleration { Key = "logs", OperatorProperty = "Equal", Value = "only", Effect = "NoSchedule" }],
                        Containers = [new V1Container { Name = "app", Image = "busybox" }],
                    },
                },
            },
        }, "default");

        var page = await fx.NewPageAsync();
        try
        {
            await fx.SignInAsync(page);
            await ConsoleBrowser.GotoAsync(page, "/r/deployments/default/ticker");
            await page.ClickAsync("#open-logs");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Logs · deployment/ticker");
            await Expect(page.Locator("#log-streams [data-phase='Streaming']")).ToHaveCountAsync(2, Slow);

            var ticks = await MaxTickAsync(page);
            await Expect(page.Locator("#log-lines .kw-log-line", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($@"tick {ticks + 2}\b") }).First)
                .ToBeVisibleAsync(new() { Timeout = 30_000 });
            var pods = await page.Locator("#log-lines .kw-log-line").EvaluateAllAsync<string[]>("ls => [...new Set(ls.map(l => l.dataset.pod))]");
            Assert.Equal(2, pods.Length);
            await Expect(page.Locator($"#log-lines .kw-log-line[data-pod='{pods[0]}'] .kw-log-prefix").First).ToHaveTextAsync($"[pod/{pods[0]}/app]");
            await fx.ScreenshotAsync(page, "33-logs-deployment");

            // Pause keeps the pane where the reader left it; resume follows again.
            await page.ClickAsync("#log-pause");
            await Expect(page.Locator("#log-lines")).ToHaveAttributeAsync("data-paused", "true");
            await page.ClickAsync("#log-pause");
            await Expect(page.Locator("#log-lines")).ToHaveAttributeAsync("data-paused", "false");

            // Download saves the lines shown (here: a search), with the pod prefixes.
            await page.Locator("#log-search input, input#log-search").First.FillAsync("tick");
            await Expect(page.Locator("#log-lines .kw-log-line", new() { HasTextString = "ready" })).ToHaveCountAsync(0);
            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#log-download"));
            Assert.Equal("ticker.log", download.SuggestedFilename);
            var saved = await File.ReadAllLinesAsync(await download.PathAsync());
            Assert.NotEmpty(saved);
            Assert.All(saved, l => Assert.Matches(@"^\[pod/ticker-[a-z0-9-]+/app\] tick \d+$", l));
        }
        finally
        {
            await ConsoleBrowser.CloseAsync(page);
            await fx.Cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("ticker", "default");
        }

        Assert.Empty(fx.ExternalRequests);
    }

    private static async Task<int> MaxTickAsync(IPage page)
    {
        var texts = await page.Locator("#log-lines .kw-log-line").AllTextContentsAsync();
        return texts.Select(t => System.Text.RegularExpressions.Regex.Match(t, @"tick (\d+)")).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
    }
}
