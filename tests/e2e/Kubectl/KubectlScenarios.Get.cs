using System.Text.Json.Nodes;

namespace KubeWeb.E2E.Kubectl;

public abstract partial class KubectlScenarios
{
    [Fact]
    public async Task Get_DefaultAndWide_PrintPodColumns()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "p1");

        var plain = (await K("get", "pods", "-n", ns)).Succeeded();
        AssertLine(plain, @"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$");
        AssertLine(plain, @"^p1\s+0/1\s+Pending\s+0\s+\d+[smhd]\w*$");

        var wide = (await K("get", "pods", "-n", ns, "-o", "wide")).Succeeded();
        AssertLine(wide, @"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$");
        AssertLine(wide, @"^p1\s+0/1\s+Pending\s+0\s+\d+[smhd]\w*\s+<none>\s+<none>\s+<none>\s+<none>$");
    }

    [Fact]
    public async Task Get_YamlAndJson_PrintTheFullObject()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "p1", "{app: a, tier: front}");

        var yaml = (await K("get", "pod", "p1", "-n", ns, "-o", "yaml")).Succeeded();
        AssertLine(yaml, "^apiVersion: v1$");
        AssertLine(yaml, "^kind: Pod$");
        AssertLine(yaml, "^  name: p1$");
        AssertLine(yaml, $"^  namespace: {ns}$");
        AssertLine(yaml, "^  resourceVersion: \"\\d+\"$");
        AssertLine(yaml, "^  uid: [0-9a-f-]{36}$");
        AssertLine(yaml, "^  - image: nginx:1.25$");

        var json = JsonNode.Parse((await K("get", "pod", "p1", "-n", ns, "-o", "json")).Succeeded().Stdout)!;
        Assert.Equal("Pod", (string?)json["kind"]);
        Assert.Equal("v1", (string?)json["apiVersion"]);
        Assert.Equal("p1", (string?)json["metadata"]!["name"]);
        Assert.Equal("front", (string?)json["metadata"]!["labels"]!["tier"]);
        Assert.False(string.IsNullOrEmpty((string?)json["metadata"]!["creationTimestamp"]));
        Assert.Equal("main", (string?)json["spec"]!["containers"]![0]!["name"]);

        var list = JsonNode.Parse((await K("get", "pods", "-n", ns, "-o", "json")).Succeeded().Stdout)!;
        Assert.Equal("List", (string?)list["kind"]);
        Assert.Equal("p1", (string?)Assert.Single(list["items"]!.AsArray())!["metadata"]!["name"]);
    }

    [Fact]
    public async Task Get_AllNamespaces_ShowsNamespaceColumn()
    {
        var ns1 = await NewNamespaceAsync();
        var ns2 = await NewNamespaceAsync();
        await CreatePodAsync(ns1, "alpha");
        await CreatePodAsync(ns2, "beta");

        var result = (await K("get", "pods", "-A")).Succeeded();

        AssertLine(result, @"^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$");
        AssertLine(result, $@"^{ns1}\s+alpha\s+0/1\s+");
        AssertLine(result, $@"^{ns2}\s+beta\s+0/1\s+");
    }

    [Fact]
    public async Task Get_LabelSelector_FiltersAndShowLabelsPrintsThem()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "front", "{app: shop, tier: front}");
        await CreatePodAsync(ns, "back", "{app: shop, tier: back}");
        await CreatePodAsync(ns, "other", "{app: blog}");

        var equality = (await K("get", "pods", "-n", ns, "-l", "tier=front")).Succeeded();
        AssertLine(equality, @"^front\s+");
        AssertNoLine(equality, @"^(back|other)\s+");

        var set = (await K("get", "pods", "-n", ns, "-l", "app in (shop),tier!=front", "-o", "name")).Succeeded();
        Assert.Equal(["pod/back"], set.Lines);

        var exists = (await K("get", "pods", "-n", ns, "-l", "!tier", "-o", "name")).Succeeded();
        Assert.Equal(["pod/other"], exists.Lines);

        var labels = (await K("get", "pods", "-n", ns, "--show-labels")).Succeeded();
        AssertLine(labels, @"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+LABELS$");
        AssertLine(labels, @"^front\s+0/1\s.*\s\d+[smhd]\w*\s+app=shop,tier=front$");
        AssertLine(labels, @"^other\s+0/1\s.*\s\d+[smhd]\w*\s+app=blog$");

        var none = await K("get", "pods", "-n", ns, "-l", "app=nothing");
        none.Succeeded().Shows($"No resources found in {ns} namespace.");
    }

    [Fact]
    public async Task Get_OutputName_PrintsKindSlashName()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "p1");
        await CreatePodAsync(ns, "p2");
        (await K("create", "configmap", "c1", "-n", ns, "--from-literal=a=b")).Succeeded();

        var pods = (await K("get", "pods", "-n", ns, "-o", "name")).Succeeded();
        Assert.Equal(["pod/p1", "pod/p2"], pods.Lines);

        var mixed = (await K("get", "pods,configmaps", "-n", ns, "-o", "name")).Succeeded();
        Assert.Contains("configmap/c1", mixed.Lines);
        Assert.Contains("pod/p2", mixed.Lines);
    }

    [Fact]
    public async Task GetWatch_SeesChangesMadeByAnotherKubectl()
    {
        var ns = await NewNamespaceAsync();
        (await K("create", "configmap", "existing", "-n", ns, "--from-literal=a=1")).Succeeded();

        await using var watch = Watch("get", "configmaps", "-n", ns, "-w");
        await watch.WaitForLineAsync(l => l.StartsWith("existing ", StringComparison.Ordinal), "the existing configmap");

        (await K("create", "configmap", "later", "-n", ns, "--from-literal=x=y")).Succeeded();
        await watch.WaitForLineAsync(l => l.StartsWith("later ", StringComparison.Ordinal), "the ADDED configmap");

        // An update (a replace from a client-generated manifest) arrives as another row for the object.
        var updated = (await K("create", "configmap", "existing", "-n", ns, "--from-literal=a=1", "--from-literal=b=2",
            "--dry-run=client", "-o", "yaml")).Succeeded().Stdout;
        (await KStdin(updated, "replace", "-f", "-")).Succeeded().Shows("configmap/existing replaced");
        await watch.WaitForLineAsync(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^existing\s+2\s+"), "the MODIFIED configmap with 2 keys");
    }

    [Fact]
    public async Task Get_MissingObject_IsNotFound()
    {
        var ns = await NewNamespaceAsync();

        (await K("get", "configmap", "nope", "-n", ns))
            .Failed("Error from server (NotFound): configmaps \"nope\" not found");
        (await K("get", "deployment", "nope", "-n", ns))
            .Failed("Error from server (NotFound): deployments.apps \"nope\" not found");
        (await K("get", "namespace", "nope-" + ns))
            .Failed("Error from server (NotFound): namespaces \"nope-" + ns + "\" not found");
    }
}
