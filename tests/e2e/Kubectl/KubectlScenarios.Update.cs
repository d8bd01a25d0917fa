using System.Text.Json.Nodes;

namespace KubeWeb.E2E.Kubectl;

public abstract partial class KubectlScenarios
{
    [Fact]
    public async Task Apply_CreatesThenConfiguresLabelAndImage()
    {
        var ns = await NewNamespaceAsync();

        (await KStdin(Manifests.Deployment(ns, "web", image: "nginx:1.25", tier: "v1"), "apply", "-f", "-"))
            .Succeeded().Shows("deployment.apps/web created");
        Assert.Equal("v1 nginx:1.25", await JsonPathAsync(ns, "deployment/web", "{.metadata.labels.tier} {.spec.template.spec.containers[0].image}"));

        (await KStdin(Manifests.Deployment(ns, "web", image: "nginx:1.27", tier: "v2"), "apply", "-f", "-"))
            .Succeeded().Shows("deployment.apps/web configured");
        Assert.Equal("v2 nginx:1.27 web", await JsonPathAsync(ns, "deployment/web",
            "{.metadata.labels.tier} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[*].name}"));
        var labels = (await K("get", "deployment", "web", "-n", ns, "--show-labels")).Succeeded();
        AssertLine(labels, @"^web\s+.*\s+app=web,tier=v2$");

        (await KStdin(Manifests.Deployment(ns, "web", image: "nginx:1.27", tier: "v2"), "apply", "-f", "-"))
            .Succeeded().Shows("deployment.apps/web unchanged");
    }

    [Fact]
    public async Task Label_AddsOverwritesAndRemovesLabels()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "p", "{app: web}");

        (await K("label", "pod", "p", "-n", ns, "env=prod")).Succeeded().Shows("pod/p labeled");
        Assert.Equal(["pod/p"], (await K("get", "pods", "-n", ns, "-l", "env=prod", "-o", "name")).Succeeded().Lines);

        (await K("label", "pod", "p", "-n", ns, "env=dev")).Failed("already has a value (prod)");
        (await K("label", "pod", "p", "-n", ns, "env=dev", "--overwrite")).Succeeded().Shows("pod/p labeled");
        Assert.Equal("dev", await JsonPathAsync(ns, "pod/p", "{.metadata.labels.env}"));

        (await K("label", "pod", "p", "-n", ns, "env-")).Succeeded().Shows("pod/p unlabeled");
        var labels = (await K("get", "pod", "p", "-n", ns, "--show-labels")).Succeeded();
        AssertLine(labels, @"^p\s+.*\s+app=web$");
    }

    [Fact]
    public async Task Annotate_SetsAndRemovesAnnotations()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "p");

        (await K("annotate", "pod", "p", "-n", ns, "note=hello world", "owner=e2e")).Succeeded().Shows("pod/p annotated");
        Assert.Equal("hello world|e2e", await JsonPathAsync(ns, "pod/p", "{.metadata.annotations.note}|{.metadata.annotations.owner}"));

        (await K("annotate", "pod", "p", "-n", ns, "note-")).Succeeded().Shows("pod/p annotated");
        Assert.Equal("|e2e", await JsonPathAsync(ns, "pod/p", "{.metadata.annotations.note}|{.metadata.annotations.owner}"));
    }

    [Fact]
    public async Task PatchStrategic_MergesContainersByName()
    {
        var ns = await NewNamespaceAsync();
        (await KStdin(Manifests.Deployment(ns, "web", sidecar: Manifests.Sidecar), "create", "-f", "-")).Succeeded();

        (await K("patch", "deployment", "web", "-n", ns, "--type", "strategic",
            "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}"""))
            .Succeeded().Shows("deployment.apps/web patched");

        // Strategic merge keeps the sidecar: containers merge on their name.
        Assert.Equal("web=nginx:1.27 sidecar=busybox:1.36", await JsonPathAsync(ns, "deployment/web",
            "{range .spec.template.spec.containers[*]}{.name}={.image} {end}").ContinueWith(t => t.Result.Trim()));
    }

    [Fact]
    public async Task PatchMerge_ReplacesListsAndDeletesNullKeys()
    {
        var ns = await NewNamespaceAsync();
        (await KStdin(Manifests.Deployment(ns, "web", sidecar: Manifests.Sidecar), "create", "-f", "-")).Succeeded();

        (await K("patch", "deployment", "web", "-n", ns, "--type", "merge",
            "-p", """{"metadata":{"labels":{"tier":null,"team":"blue"}},"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}"""))
            .Succeeded().Shows("deployment.apps/web patched");

        // RFC 7386: the container list is replaced as a whole; null removes the label.
        Assert.Equal("web=nginx:1.27", await JsonPathAsync(ns, "deployment/web",
            "{range .spec.template.spec.containers[*]}{.name}={.image} {end}").ContinueWith(t => t.Result.Trim()));
        Assert.Equal("app=web,team=blue,tier=", await JsonPathAsync(ns, "deployment/web",
            "app={.metadata.labels.app},team={.metadata.labels.team},tier={.metadata.labels.tier}"));
    }

    [Fact]
    public async Task PatchJson_AppliesOperationsAndFailedTestChangesNothing()
    {
        var ns = await NewNamespaceAsync();
        (await KStdin(Manifests.ConfigMap(ns, "c", "{keep: k, change: old, gone: x}"), "create", "-f", "-")).Succeeded();

        (await K("patch", "configmap", "c", "-n", ns, "--type", "json", "-p",
            """[{"op":"replace","path":"/data/change","value":"new"},{"op":"add","path":"/data/added","value":"a"},{"op":"remove","path":"/data/gone"}]"""))
            .Succeeded().Shows("configmap/c patched");
        var data = JsonNode.Parse(await JsonPathAsync(ns, "configmap/c", "{.data}"))!.AsObject();
        Assert.Equal(["added", "change", "keep"], data.Select(p => p.Key).Order());
        Assert.Equal("new", (string?)data["change"]);

        var before = await JsonPathAsync(ns, "configmap/c", "{.metadata.resourceVersion}");
        (await K("patch", "configmap", "c", "-n", ns, "--type", "json", "-p",
            """[{"op":"replace","path":"/data/keep","value":"changed"},{"op":"test","path":"/data/change","value":"old"}]""")).Failed();
        Assert.Equal("k " + before, await JsonPathAsync(ns, "configmap/c", "{.data.keep} {.metadata.resourceVersion}"));
    }

    [Fact]
    public async Task Replace_UpdatesAndStaleResourceVersionConflicts()
    {
        var ns = await NewNamespaceAsync();
        (await KStdin(Manifests.ConfigMap(ns, "c", "{k: v1}"), "create", "-f", "-")).Succeeded();
        var stale = JsonNode.Parse((await K("get", "configmap", "c", "-n", ns, "-o", "json")).Succeeded().Stdout)!;

        var fresh = stale.DeepClone();
        fresh["data"]!["k"] = "v2";
        (await KStdin(fresh.ToJsonString(), "replace", "-f", "-")).Succeeded().Shows("configmap/c replaced");
        Assert.Equal("v2", await JsonPathAsync(ns, "configmap/c", "{.data.k}"));

        // The first copy still carries the old resourceVersion.
        stale["data"]!["k"] = "v3";
        (await KStdin(stale.ToJsonString(), "replace", "-f", "-"))
            .Failed("Error from server (Conflict)", "the object has been modified");
        Assert.Equal("v2", await JsonPathAsync(ns, "configmap/c", "{.data.k}"));
    }

    [Fact]
    public async Task Scale_Deployment_SetsSpecReplicas()
    {
        var ns = await NewNamespaceAsync();
        (await K("create", "deployment", "web", "-n", ns, "--image=nginx:1.25", "--replicas=1")).Succeeded();

        (await K("scale", "deployment", "web", "-n", ns, "--replicas=3")).Succeeded().Shows("deployment.apps/web scaled");

        Assert.Equal("3", await JsonPathAsync(ns, "deploy/web", "{.spec.replicas}"));
        (await K("scale", "deployment", "web", "-n", ns, "--current-replicas=2", "--replicas=5"))
            .Failed("Expected replicas to be 2, was 3");
        Assert.Equal("3", await JsonPathAsync(ns, "deploy/web", "{.spec.replicas}"));
    }

    [Fact]
    public async Task ServerSideApply_ConflictsWithAnotherManagerUntilForced()
    {
        var ns = await NewNamespaceAsync();

        (await KStdin(Manifests.ConfigMap(ns, "c", "{owned: '1'}"), "apply", "--server-side", "-f", "-"))
            .Succeeded().Shows("configmap/c serverside-applied");
        Assert.Equal("1", await JsonPathAsync(ns, "configmap/c", "{.data.owned}"));
        Assert.Contains("kubectl:Apply", await ManagersAsync(ns, "configmap/c"));

        (await KStdin(Manifests.ConfigMap(ns, "c", "{owned: '2'}"), "apply", "--server-side", "--field-manager=other", "-f", "-"))
            .Failed("Apply failed with 1 conflict", "conflict with \"kubectl\"", ".data.owned");
        Assert.Equal("1", await JsonPathAsync(ns, "configmap/c", "{.data.owned}"));

        (await KStdin(Manifests.ConfigMap(ns, "c", "{owned: '2'}"), "apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"))
            .Succeeded().Shows("configmap/c serverside-applied");
        Assert.Equal("2", await JsonPathAsync(ns, "configmap/c", "{.data.owned}"));
        Assert.Contains("other:Apply", await ManagersAsync(ns, "configmap/c"));

        // Ownership moved: now the first manager is the one in conflict.
        (await KStdin(Manifests.ConfigMap(ns, "c", "{owned: '3'}"), "apply", "--server-side", "-f", "-"))
            .Failed("conflict with \"other\"");
    }

    private async Task<IReadOnlyList<string>> ManagersAsync(string ns, string target)
    {
        var json = JsonNode.Parse((await K("get", target, "-n", ns, "-o", "json", "--show-managed-fields")).Succeeded().Stdout)!;
        return json["metadata"]!["managedFields"]?.AsArray()
            .Select(m => $"{(string?)m!["manager"]}:{(string?)m["operation"]}").ToList() ?? [];
    }
}
