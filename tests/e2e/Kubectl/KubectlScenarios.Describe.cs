namespace KubeWeb.E2E.Kubectl;

public abstract partial class KubectlScenarios
{
    [Fact]
    public async Task DescribePod_ShowsItsEvents()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "p");
        await CreatePodAsync(ns, "bystander");
        var uid = await JsonPathAsync(ns, "pod/p", "{.metadata.uid}");
        var otherUid = await JsonPathAsync(ns, "pod/bystander", "{.metadata.uid}");
        (await KStdin(Manifests.PodEvent(ns, "p", uid, "E2EProbe", "probe from the e2e suite"), "create", "-f", "-")).Succeeded();
        (await KStdin(Manifests.PodEvent(ns, "bystander", otherUid, "NotMine", "about another pod"), "create", "-f", "-")).Succeeded();

        var events = (await K("get", "events", "-n", ns)).Succeeded();
        AssertLine(events, @"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$");
        AssertLine(events, @"^\S+\s+Warning\s+E2EProbe\s+pod/p\s+probe from the e2e suite$");

        var describe = (await K("describe", "pod", "p", "-n", ns)).Succeeded();
        AssertLine(describe, @"^Name:\s+p$");
        AssertLine(describe, $@"^Namespace:\s+{ns}$");
        AssertLine(describe, @"^\s+Image:\s+nginx:1\.25$");
        AssertLine(describe, @"^Events:");
        AssertLine(describe, @"^\s*Warning\s+E2EProbe\s+\S+\s+e2e-suite\s+probe from the e2e suite$");
        Assert.DoesNotContain("NotMine", describe.Stdout, StringComparison.Ordinal);
        AssertLine(describe, @"^Status:\s+Pending$");
    }
}
