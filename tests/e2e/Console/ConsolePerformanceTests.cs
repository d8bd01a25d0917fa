using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KubeWeb.E2E.Console;

/// <summary>
/// The console's targets at 3,000 pods: the overview's first render (≤ 1 s) and a change made
/// with kubectl showing in an open list (≤ 1 s). Figures go to the test output and to
/// <c>console-performance.md</c> beside the test binaries for the README to quote.
/// </summary>
[Trait("Category", "E2E")]
[Trait("Category", "Browser")]
[Collection(ConsolePerformanceCollection.Name)]
public sealed class ConsolePerformanceTests(ConsoleFixture fx, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    private const int PodCount = 3000;
    private const string Namespace = "perf";

    [Fact]
    public async Task Overview_At3000Pods_RendersAllCounts_AndShowsKubectlChangesLive_MeasuringBoth()
    {
        var created = await CreatePodsAsync();
        using var kubectl = new Infrastructure.Kubectl(fx.Server.KubeconfigPath, output);
        var page = await fx.NewPageAsync();
        var overview = new List<double>();
        var listRender = new List<double>();
        var change = new List<double>();
        var changeFromStart = new List<double>();
        var interactive = new List<double>();
        var apiList = new List<double>();
        try
        {
            await fx.SignInAsync(page);
            var total = page.Locator($"#overview-pods-total[data-total='{PodCount}']");
            await Expect(total).ToHaveCountAsync(1, new() { Timeout = 30_000 });

            // First render: a fresh page load of the overview until the pod count is on screen.
            for (var i = 0; i < 3; i++)
            {
                var sw = Stopwatch.StartNew();
                await page.GotoAsync("/");
                await page.WaitForSelectorAsync("#console-main[data-interactive='true']");
                interactive.Add(sw.Elapsed.TotalMilliseconds);
                await Expect(total).ToHaveCountAsync(1, new() { Timeout = 30_000 });
                overview.Add(sw.Elapsed.TotalMilliseconds);
            }

            apiList = await TimeApiListAsync();

            await fx.ScreenshotAsync(page, "20-overview-3000-pods");

            // An open Pods list of the namespace (virtualized), searched for what kubectl is about to create.
            await page.EvaluateAsync($"() => localStorage.setItem('kubeweb-namespace', '{Namespace}')");
            for (var i = 0; i < 2; i++)
            {
                var sw = Stopwatch.StartNew();
                await page.GotoAsync("/r/pods");
                await Expect(page.Locator($"#resource-table[data-rows='{PodCount}']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
                listRender.Add(sw.Elapsed.TotalMilliseconds);
            }

            await fx.ScreenshotAsync(page, "21-pods-3000");
            await page.FillAsync("#table-search", "probe");
            await Expect(page.Locator("#table-count")).ToHaveTextAsync($"0 of {PodCount}");
            for (var i = 1; i <= 3; i++)
            {
                var name = $"probe-{i}";
                var start = Stopwatch.StartNew();
                (await kubectl.RunAsync("run", name, "--image=nginx:1.27", "-n", Namespace, "--restart=Never")).Succeeded();
                var accepted = start.Elapsed;
                await Expect(page.Locator($"#resource-table tr[data-name='{name}']")).ToBeVisibleAsync(new() { Timeout = 10_000 });
                change.Add((start.Elapsed - accepted).TotalMilliseconds);
                changeFromStart.Add(start.Elapsed.TotalMilliseconds);
            }
        }
        finally
        {
            await ConsoleFixture.CloseAsync(page);
        }

        var report = Report(created, overview, listRender, change, changeFromStart)
            + $"| Of which: page load until the circuit is interactive | {Median(interactive):0} ms | {string.Join(", ", interactive.Select(x => x.ToString("0", CultureInfo.InvariantCulture) + " ms"))} | – |\n"
            + $"| API: GET all {PodCount} pods as JSON (HttpClient) | {Median(apiList):0} ms | {string.Join(", ", apiList.Select(x => x.ToString("0", CultureInfo.InvariantCulture) + " ms"))} | – |\n";
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "console-performance.md"), report);
        Assert.Empty(fx.ExternalRequests);

        // The timings are measured and reported (README quotes console-performance.md against the
        // 1 s targets), never asserted: wall-clock checks on a shared 2-core machine only flake.
    }

    /// <summary>3,000 pods straight through the API, 16 requests at a time; no nodes, so they stay Pending.</summary>
    private async Task<TimeSpan> CreatePodsAsync()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(fx.Server.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fx.Server.AdminToken);
        var ns = await http.PostAsync("/api/v1/namespaces",
            new StringContent("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"NS"}}""".Replace("NS", Namespace, StringComparison.Ordinal),
                Encoding.UTF8, "application/json"));
        ns.EnsureSuccessStatusCode();
        var sw = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, PodCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var body = """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"load-NUM","labels":{"app":"load","shard":"SHARD"}},
                 "spec":{"containers":[{"name":"c","image":"nginx:1.27","resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}
                """.Replace("NUM", i.ToString("0000", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("SHARD", (i % 10).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            using var response = await http.PostAsync($"/api/v1/namespaces/{Namespace}/pods", new StringContent(body, Encoding.UTF8, "application/json"), ct);
            response.EnsureSuccessStatusCode();
        });
        return sw.Elapsed;
    }

    private async Task<List<double>> TimeApiListAsync()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(fx.Server.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fx.Server.AdminToken);
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            var body = await http.GetStringAsync("/api/v1/pods");
            times.Add(sw.Elapsed.TotalMilliseconds);
            Assert.Contains("load-2999", body, StringComparison.Ordinal);
        }

        return times;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Report(TimeSpan created, List<double> overview, List<double> list, List<double> change, List<double> changeFromStart)
    {
        static string Ms(IEnumerable<double> v) => string.Join(", ", v.Select(x => x.ToString("0", CultureInfo.InvariantCulture) + " ms"));
        var sb = new StringBuilder();
        sb.AppendLine("# Console performance at 3,000 pods");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `ConsolePerformanceTests` (Playwright, headless Chromium, one machine, {Environment.ProcessorCount} cores).");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{PodCount} pods created through the API with 16 concurrent requests in {created.TotalSeconds:0.0} s.");
        sb.AppendLine();
        sb.AppendLine("| measure | median | runs | target |");
        sb.AppendLine("|---|---|---|---|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| Overview first render (page load until the pod count shows {PodCount}) | {Median(overview):0} ms | {Ms(overview)} | ≤ 1000 ms |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| Change visible in an open Pods list, after `kubectl run` returned | {Median(change):0} ms | {Ms(change)} | ≤ 1000 ms |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| The same, counted from the start of the kubectl process | {Median(changeFromStart):0} ms | {Ms(changeFromStart)} | – |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| Pods list first render ({PodCount} rows, virtualized) | {Median(list):0} ms | {Ms(list)} | – |");
        return sb.ToString();
    }
}

/// <summary>Timing runs alone: other test classes' servers and simulated nodes would share the cores being measured.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsolePerformanceCollection
{
    public const string Name = "Console performance";
}
