using k8s;
using k8s.Models;
using KubeWeb.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KubeWeb.E2E.Console;

/// <summary>
/// The console on a cluster whose pods really run (simulated nodes): a deployment's pods go Running
/// live, a rollback from the history tab, a node drain whose pods move, the map and the palette.
/// </summary>
[Trait("Category", "E2E")]
[Trait("Category", "Browser")]
[Collection(ConsoleBrowserCollection.Name)]
public sealed partial class ConsoleClusterTests(ConsoleClusterFixture fx, ITestOutputHelper output) : IClassFixture<ConsoleClusterFixture>
{
    private const string Yaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: shop
          labels:
            app: shop
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: shop
          template:
            metadata:
              labels:
                app: shop
            spec:
              containers:
              - name: web
                image: nginx:1.27
                ports:
                - containerPort: 80
                readinessProbe:
                  httpGet:
                    path: /
                    port: 80
                resources:
                  requests:
                    cpu: 50m
                    memory: 32Mi
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: shop
        spec:
          selector:
            app: shop
          ports:
          - port: 80
        """;

    private static readonly LocatorAssertionsToHaveCountOptions Slow = new() { Timeout = 30_000 };

    [Fact]
    public async Task Deployment_RunsLive_RollsBack_SurvivesADrain_ShowsOnTheMapAndPalette_AndIsDeleted()
    {
        using var kubectl = new Infrastructure.Kubectl(fx.Cluster.Server.KubeconfigPath, output);
        var page = await fx.NewPageAsync();
        try
        {
            await fx.SignInAsync(page);
            await page.EvaluateAsync("() => window.__noReload = true");

            // Create, then watch the pods go Running on the deployment's page without reloading.
            await page.ClickAsync("#nav-deployments");
            await page.ClickAsync("#create-from-yaml");
            await page.FillAsync("#create-yaml", Yaml);
            await page.ClickAsync("#create-submit");
            await page.Locator("#resource-table tr[data-name='shop'] a").First.ClickAsync();
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Deployment shop");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Related" }).ClickAsync();
            await Expect(page.Locator("#owned-replicasets tbody tr")).ToHaveCountAsync(1, Slow);
            await Expect(Running(page, "#owned-pods")).ToHaveCountAsync(3, Slow);
            await fx.ScreenshotAsync(page, "10-deployment-related");

            // A pod's containers: state, restarts, probes, resources.
            await page.Locator("#owned-pods tbody tr a").First.ClickAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Containers" }).ClickAsync();
            await Expect(page.Locator("#pod-containers [data-container='web'] [data-field='state']")).ToContainTextAsync("Running");
            await Expect(page.Locator("#pod-containers [data-probe='Readiness']")).ToContainTextAsync("http-get");
            await Expect(page.Locator("#pod-containers [data-field='requests']")).ToContainTextAsync("cpu: 50m");
            await fx.ScreenshotAsync(page, "11-pod-containers");
            await page.GoBackAsync();
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Deployment shop");

            // A new image (with kubectl), then back to revision 1 from the console.
            (await kubectl.RunAsync("set", "image", "deployment/shop", "web=nginx:1.28")).Succeeded();
            await page.GetByRole(AriaRole.Tab, new() { Name = "History" }).ClickAsync();
            await Expect(page.Locator("#rollout-history tr[data-revision='2'][data-current='true']")).ToHaveCountAsync(1, Slow);
            await Expect(page.Locator("#revision-diff .kw-diff-line[data-kind='Added']")).ToContainTextAsync("nginx:1.28");
            await Expect(page.Locator("#revision-diff .kw-diff-line[data-kind='Removed']")).ToContainTextAsync("nginx:1.27");
            await fx.ScreenshotAsync(page, "12-history-diff");
            await page.Locator("#rollout-history tr[data-revision='1'] .kw-rollback-to").ClickAsync();
            await Expect(page.Locator("#history-result")).ToContainTextAsync("rolled back to revision 1");
            await Expect(page.Locator("#deployment-revision")).ToHaveAttributeAsync("data-revision", "3", new() { Timeout = 30_000 });
            await Expect(page.Locator("#rollout-history tr[data-revision='3'][data-current='true']")).ToHaveCountAsync(1, Slow);
            var deployment = await fx.Cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("shop", "default");
            Assert.Equal("nginx:1.27", deployment.Spec.Template.Spec.Containers[0].Image);
            await page.GetByRole(AriaRole.Tab, new() { Name = "Related" }).ClickAsync();
            await Expect(Running(page, "#owned-pods")).ToHaveCountAsync(3, Slow);
            await Expect(page.Locator("#owned-pods tbody tr")).ToHaveCountAsync(3, Slow);

            // The map: deployment, its replica sets and pods, the service that selects them.
            await page.ClickAsync("#nav-map");
            await Expect(page.Locator("#resource-map g[data-kind='Deployment'][data-name='shop']")).ToHaveCountAsync(1);
            await Expect(page.Locator("#resource-map g[data-kind='Pod'][data-health='healthy']")).ToHaveCountAsync(3, Slow);
            await Expect(page.Locator("#resource-map g[data-kind='Service'][data-name='shop'][data-health='healthy']")).ToHaveCountAsync(1, Slow);
            await fx.ScreenshotAsync(page, "13-resource-map");

            // The palette: Ctrl-K, a kind and a name, Enter.
            await page.Keyboard.PressAsync("Control+k");
            await page.Locator("#palette-input").FillAsync("deploy shop");
            await Expect(page.Locator("#palette-results li[data-kind='deployments'][data-name='shop']")).ToHaveCountAsync(1, Slow);
            await fx.ScreenshotAsync(page, "14-palette");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Deployment shop");

            // Drain a node that runs a shop pod: its pods move to the other nodes.
            var node = (await ShopPodsAsync()).First(p => p.Spec.NodeName is not null).Spec.NodeName;
            await page.Keyboard.PressAsync("Control+k");
            await page.Locator("#palette-input").FillAsync($"nodes/{node}");
            await Expect(page.Locator($"#palette-item-0[data-name='{node}']")).ToHaveCountAsync(1);
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync($"Node {node}");

            // The node's usage (metrics.k8s.io from the simulated agent) is charted.
            await page.GetByRole(AriaRole.Tab, new() { Name = "Metrics" }).ClickAsync();
            await Expect(page.Locator("#metrics-panel")).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(?!NotAvailable$)"));
            await Expect(page.Locator("#chart-cpu .kw-chart-value")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Expect(page.Locator("#chart-memory .kw-chart-value")).ToBeVisibleAsync();
            Assert.NotEqual("0", await page.Locator("#chart-cpu").GetAttributeAsync("data-points"));
            await Expect(page.Locator("#metrics-unavailable")).ToHaveCountAsync(0);
            await fx.ScreenshotAsync(page, "34-node-metrics");

            await page.GetByRole(AriaRole.Tab, new() { Name = "Pods" }).ClickAsync();
            await Expect(page.Locator("#node-pods tbody tr[data-name^='shop-']").First).ToBeVisibleAsync();
            await page.ClickAsync("#action-drain");
            await Expect(page.Locator("#drain-pods tr[data-pod^='shop-']").First).ToBeVisibleAsync();
            await page.ClickAsync("#drain-confirm");
            await Expect(page.Locator("#drain-outcome")).ToContainTextAsync("drained", new() { Timeout = 60_000 });
            await fx.ScreenshotAsync(page, "15-drain");
            await page.ClickAsync("#drain-close");
            await Expect(page.Locator("#action-result")).ToContainTextAsync("drained");
            await Expect(page.Locator("#action-uncordon")).ToBeVisibleAsync();
            await Expect(page.Locator("#node-pods tbody tr[data-name^='shop-']")).ToHaveCountAsync(0, Slow);
            await WaitAsync(async () => (await ShopPodsAsync()) is var pods && pods.Count == 3
                && pods.All(p => p.Status?.Phase == "Running" && p.Spec.NodeName != node && p.Metadata.DeletionTimestamp is null));
            await page.ClickAsync("#action-uncordon");
            await Expect(page.Locator("#action-cordon")).ToBeVisibleAsync();

            // Delete it from the list and see it vanish.
            await page.ClickAsync("#nav-deployments");
            var row = page.Locator("#resource-table tr[data-name='shop']");
            await row.Locator(".kw-delete").ClickAsync();
            await page.ClickAsync("#delete-confirm");
            await Expect(row).ToHaveCountAsync(0, Slow);
            Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"), "the page reloaded");
        }
        finally
        {
            await fx.ScreenshotAsync(page, "19-cluster-last");
            await ConsoleBrowser.CloseAsync(page);
        }

        Assert.Empty(fx.ExternalRequests);
    }

    private static ILocator Running(IPage page, string table) =>
        page.Locator($"{table} td[data-col='Status']").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^\s*Running\s*$") });

    private async Task<IReadOnlyList<V1Pod>> ShopPodsAsync() =>
        [.. (await fx.Cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=shop")).Items];

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for the cluster");
            await Task.Delay(250);
        }
    }
}
