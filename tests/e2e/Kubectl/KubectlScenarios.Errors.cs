namespace KubeWeb.E2E.Kubectl;

public abstract partial class KubectlScenarios
{
    [Fact]
    public async Task Create_DeploymentWithSelectorNotMatchingTemplate_IsInvalid()
    {
        var ns = await NewNamespaceAsync();

        (await KStdin(Manifests.Deployment(ns, "bad", templateApp: "other"), "create", "-f", "-"))
            .Failed("The Deployment \"bad\" is invalid", "spec.template.metadata.labels", "`selector` does not match template `labels`");

        (await K("get", "deployment", "bad", "-n", ns)).Failed("NotFound");
    }

    [Fact]
    public async Task Create_PodWithoutContainers_IsInvalid()
    {
        var ns = await NewNamespaceAsync();
        var pod = $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: empty
              namespace: {ns}
            spec:
              containers: []
            """;

        (await KStdin(pod, "create", "-f", "-")).Failed("The Pod \"empty\" is invalid", "spec.containers: Required value");

        (await K("get", "pod", "empty", "-n", ns)).Failed("NotFound");
    }

    [Fact]
    public async Task Create_UnknownFieldWithStrictValidation_IsRejected()
    {
        var ns = await NewNamespaceAsync();
        var manifest = Manifests.Pod(ns, "strict", extraSpec: "  bogusField: true");

        (await KStdin(manifest, "create", "-f", "-")).Failed("Error from server (BadRequest)", "strict decoding error", "unknown field \"spec.bogusField\"");
        (await K("get", "pod", "strict", "-n", ns)).Failed("NotFound");

        // --validate=false sends fieldValidation=Ignore: the unknown field is dropped, the pod created.
        (await KStdin(manifest, "create", "-f", "-", "--validate=false")).Succeeded().Shows("pod/strict created");
        Assert.DoesNotContain("bogusField", (await K("get", "pod", "strict", "-n", ns, "-o", "json")).Succeeded().Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_IntoMissingNamespace_IsNotFound()
    {
        var missing = $"missing-{Guid.NewGuid():N}"[..16];

        (await KStdin(Manifests.ConfigMap(missing, "c", "{a: b}"), "create", "-f", "-"))
            .Failed("Error from server (NotFound)", $"namespaces \"{missing}\" not found");

        // The protobuf path (a kubectl create generator) answers the same; kubectl words it its own way.
        (await K("create", "configmap", "c", "-n", missing, "--from-literal=a=b"))
            .Failed($"error: failed to create configmap: namespaces \"{missing}\" not found");
    }

    [Fact]
    public async Task Create_Duplicate_IsAlreadyExists()
    {
        var ns = await NewNamespaceAsync();
        (await K("create", "configmap", "c", "-n", ns, "--from-literal=a=b")).Succeeded();

        (await KStdin(Manifests.ConfigMap(ns, "c", "{a: c}"), "create", "-f", "-"))
            .Failed("Error from server (AlreadyExists)", "configmaps \"c\" already exists");
        Assert.Equal("b", await JsonPathAsync(ns, "configmap/c", "{.data.a}"));
    }
}
