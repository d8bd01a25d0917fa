namespace KubeWeb.E2E.Kubectl;

public abstract partial class KubectlScenarios
{
    [Fact]
    public async Task Delete_WaitsUntilObjectsAreGone()
    {
        var ns = await NewNamespaceAsync();
        (await K("create", "configmap", "c", "-n", ns, "--from-literal=a=b")).Succeeded();
        await CreatePodAsync(ns, "p");

        (await K("delete", "configmap", "c", "-n", ns, "--timeout=30s")).Succeeded().Shows("configmap \"c\" deleted");
        (await K("get", "configmap", "c", "-n", ns)).Failed("NotFound");

        // An unscheduled pod has nothing to stop, so it goes at once and the wait ends.
        (await K("delete", "pod", "p", "-n", ns, "--timeout=30s")).Succeeded().Shows("pod \"p\" deleted");
        (await K("get", "pod", "p", "-n", ns)).Failed("NotFound");

        (await K("delete", "configmap", "c", "-n", ns)).Failed("Error from server (NotFound): configmaps \"c\" not found");
    }

    [Fact]
    public async Task DeleteByLabel_RemovesOnlyMatchingObjects()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "a", "{group: one}");
        await CreatePodAsync(ns, "b", "{group: one}");
        await CreatePodAsync(ns, "c", "{group: two}");

        (await K("delete", "pods", "-n", ns, "-l", "group=one", "--timeout=30s")).Succeeded().Shows("pod \"a\" deleted", "pod \"b\" deleted");

        Assert.Equal(["pod/c"], (await K("get", "pods", "-n", ns, "-o", "name")).Succeeded().Lines);
    }

    [Fact]
    public async Task DeleteNamespace_RemovesItsContents()
    {
        var ns = await NewNamespaceAsync();
        (await K("create", "configmap", "c", "-n", ns, "--from-literal=a=b")).Succeeded();
        (await K("create", "secret", "generic", "s", "-n", ns, "--from-literal=a=b")).Succeeded();
        (await K("create", "deployment", "web", "-n", ns, "--image=nginx:1.25")).Succeeded();
        await CreatePodAsync(ns, "p");

        (await K("delete", "namespace", ns, "--timeout=60s")).Succeeded().Shows($"namespace \"{ns}\" deleted");

        (await K("get", "namespace", ns)).Failed("NotFound");
        var leftovers = (await K("get", "configmaps,secrets,deployments,pods", "-A", "-o", "name",
            "--field-selector", $"metadata.namespace={ns}")).Succeeded();
        Assert.Empty(leftovers.Lines);

        // The name is free again, and the new namespace starts empty.
        (await K("create", "namespace", ns)).Succeeded();
        (await K("get", "configmap", "c", "-n", ns)).Failed("NotFound");
    }
}
