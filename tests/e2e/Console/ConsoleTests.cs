using System.Diagnostics;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KubeWeb.E2E.Console;

/// <summary>The browser console against a real server, in Chromium: sign in, live lists, create, scale, delete, dark mode.</summary>
[Trait("Category", "E2E")]
[Trait("Category", "Browser")]
[Collection(ConsoleBrowserCollection.Name)]
public sealed class ConsoleTests(ConsoleFixture fx) : IClassFixture<ConsoleFixture>
{
    private const string Kubectl = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";

    private const string DeploymentYaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels:
            app: web
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: nginx:1.27
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web-config
        data:
          greeting: hello
        """;

    [Fact]
    public async Task SignIn_WithWrongToken_ShowsError_AndApiPathsStillServeKubernetes()
    {
        var page = await fx.NewPageAsync();
        try
        {
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
            await fx.ScreenshotAsync(page, "01-signin");
            await page.FillAsync("#token", "not-the-token");
            await page.ClickAsync("#signin-submit");
            await Expect(page.Locator("#signin-error")).ToContainTextAsync("rejected");

            var api = await page.APIRequest.GetAsync("/api/v1/namespaces", new() { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + fx.Server.AdminToken } });
            Assert.Equal(200, api.Status);
            Assert.Contains("NamespaceList", await api.TextAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await ConsoleFixture.CloseAsync(page);
        }

        Assert.Empty(fx.ExternalRequests);
    }

    [Fact]
    public async Task Console_ShowsLiveLists_CreatesScalesDeletes_AndTogglesDarkMode()
    {
        var page = await fx.NewPageAsync();
        try
        {
            await fx.SignInAsync(page);
            await Expect(page.Locator("#overview-nodes")).ToBeVisibleAsync();
            await Expect(page.Locator("#overview-pods [data-phase='Running']")).ToBeVisibleAsync();
            await fx.ScreenshotAsync(page, "02-overview");

            // A marker that a full page load would erase: every later change must arrive live.
            await page.EvaluateAsync("() => window.__noReload = true");

            await page.ClickAsync("#nav-deployments");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Deployments");
            await page.ClickAsync("#create-from-yaml");
            await page.FillAsync("#create-yaml", DeploymentYaml);
            await page.ClickAsync("#create-submit");
            var row = page.Locator("#resource-table tr[data-name='web']");
            await Expect(row).ToBeVisibleAsync();
            await Expect(row.Locator("td[data-col='Ready']")).ToHaveTextAsync("0/1");
            await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
            await fx.ScreenshotAsync(page, "03-deployments");

            await page.ClickAsync("#nav-configmaps");
            await Expect(page.Locator("#resource-table tr[data-name='web-config']")).ToBeVisibleAsync();
            await RunKubectlAsync("create", "configmap", "from-kubectl", "--from-literal=a=b", "-n", "default");
            await Expect(page.Locator("#resource-table tr[data-name='from-kubectl']")).ToBeVisibleAsync(new() { Timeout = 5000 });
            await page.FillAsync("#table-search", "kubectl");
            await Expect(page.Locator("#resource-table tbody tr")).ToHaveCountAsync(1);
            await fx.ScreenshotAsync(page, "04-configmaps-search");
            await page.FillAsync("#table-search", "");

            // Disruption budgets are listed with kubectl's columns.
            await RunKubectlAsync("create", "pdb", "web-budget", "--selector=app=web", "--min-available=1", "-n", "default");
            await page.ClickAsync("#nav-poddisruptionbudgets");
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("PDBs");
            var budget = page.Locator("#resource-table tr[data-name='web-budget']");
            await Expect(budget.Locator("td[data-col='Min Available']")).ToHaveTextAsync("1");
            await Expect(budget.Locator("td[data-col='Max Unavailable']")).ToHaveTextAsync("N/A");

            await page.ClickAsync("#nav-deployments");
            await row.Locator(".kw-scale").ClickAsync();
            await page.FillAsync("#scale-replicas", "3");
            await page.ClickAsync("#scale-confirm");
            await Expect(row.Locator("td[data-col='Ready']")).ToHaveTextAsync("0/3");

            await row.Locator("a").First.ClickAsync();
            await Expect(page.Locator("#page-title")).ToHaveTextAsync("Deployment web");
            await Expect(page.Locator("#summary-replicas")).ToContainTextAsync("3 desired");
            await fx.ScreenshotAsync(page, "05-deployment-detail");
            await page.GetByRole(AriaRole.Tab, new() { Name = "YAML" }).ClickAsync();
            await Expect(page.Locator("#yaml-view")).ToContainTextAsync("replicas: 3");
            await fx.ScreenshotAsync(page, "06-deployment-yaml");

            // An invalid value is rejected by the server-side dry run and shown at its field.
            await page.ClickAsync("#yaml-edit");
            var draft = await page.InputValueAsync("#yaml-text");
            await page.FillAsync("#yaml-text", draft.Replace("  replicas: 3\n", "  replicas: -1\n", StringComparison.Ordinal));
            await page.ClickAsync("#yaml-validate");
            await Expect(page.Locator("#yaml-problem [data-field='spec.replicas']")).ToBeVisibleAsync();
            await Expect(page.Locator("#yaml-view .kw-yaml-error")).ToHaveCountAsync(1);
            await fx.ScreenshotAsync(page, "06b-yaml-field-error");

            await page.ClickAsync("#nav-deployments");
            await row.Locator(".kw-delete").ClickAsync();
            await page.ClickAsync("#delete-confirm");
            await Expect(row).ToHaveCountAsync(0);

            var toggle = page.Locator("#theme-toggle");
            var dark = await toggle.GetAttributeAsync("data-dark");
            await toggle.ClickAsync();
            await Expect(toggle).Not.ToHaveAttributeAsync("data-dark", dark!);
            if (dark == "true")
            {
                await toggle.ClickAsync();
                await Expect(toggle).ToHaveAttributeAsync("data-dark", "false");
                await toggle.ClickAsync();
            }

            await Expect(toggle).ToHaveAttributeAsync("data-dark", "true");
            await page.ClickAsync("#nav-pods");
            await fx.ScreenshotAsync(page, "07-pods-dark");
            Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"), "the page reloaded");

            // The theme choice survives a reload.
            await page.ReloadAsync();
            await page.WaitForSelectorAsync("#console-main[data-interactive='true']");
            await Expect(page.Locator("#theme-toggle")).ToHaveAttributeAsync("data-dark", "true");
        }
        finally
        {
            await ConsoleFixture.CloseAsync(page);
        }

        Assert.Empty(fx.ExternalRequests);
    }

    private async Task RunKubectlAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args.Concat(["--kubeconfig", fx.Server.KubeconfigPath, "--cache-dir", Path.Combine(fx.DataDir, "kubectl-cache")]))
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
    }
}
