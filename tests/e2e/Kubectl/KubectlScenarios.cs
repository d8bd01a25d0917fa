using System.Text.RegularExpressions;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Kubectl;

/// <summary>
/// The real kubectl 1.32 driving a KubeWeb server, one scenario per test. Each test works in its
/// own namespace, so tests never see each other's objects. The derived classes bind a datastore.
/// </summary>
public abstract partial class KubectlScenarios : IDisposable
{
    private readonly Infrastructure.Kubectl _kubectl;

    protected KubectlScenarios(ServerFixture server, ITestOutputHelper output)
    {
        Server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, output);
        output.WriteLine($"server {server.Server.Url}, log {server.LogPath}");
    }

    protected ServerFixture Server { get; }

    /// <summary>Runs kubectl with these arguments.</summary>
    protected Task<KubectlResult> K(params string[] args) => _kubectl.RunAsync(args);

    /// <summary>Runs kubectl with <paramref name="stdin"/> as its standard input (for <c>-f -</c>).</summary>
    protected Task<KubectlResult> KStdin(string stdin, params string[] args) => _kubectl.RunAsync(args, stdin);

    protected KubectlWatch Watch(params string[] args) => _kubectl.StartWatch(args);

    /// <summary>Creates a fresh namespace for this test with <c>kubectl create namespace</c>.</summary>
    protected async Task<string> NewNamespaceAsync()
    {
        var name = $"e2e-{Guid.NewGuid():N}"[..16];
        (await K("create", "namespace", name)).Succeeded().Shows($"namespace/{name} created");
        return name;
    }

    protected async Task CreatePodAsync(string ns, string name, string labels = "{app: web}") =>
        (await KStdin(Manifests.Pod(ns, name, labels), "create", "-f", "-")).Succeeded().Shows($"pod/{name} created");

    protected async Task<string> JsonPathAsync(string ns, string target, string path) =>
        (await K("get", target, "-n", ns, "-o", $"jsonpath={path}")).Succeeded().Stdout;

    protected static void AssertLine(KubectlResult result, string pattern) =>
        Assert.True(result.Lines.Any(l => Regex.IsMatch(l, pattern)), $"no line of stdout matches /{pattern}/\n{result}");

    protected static void AssertNoLine(KubectlResult result, string pattern) =>
        Assert.False(result.Lines.Any(l => Regex.IsMatch(l, pattern)), $"a line of stdout matches /{pattern}/\n{result}");

    public void Dispose()
    {
        _kubectl.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ApiResources_ListsPodsAndDeploymentsWithShortNames()
    {
        var result = (await K("api-resources")).Succeeded();

        AssertLine(result, @"^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$");
        AssertLine(result, @"^pods\s+po\s+v1\s+true\s+Pod$");
        AssertLine(result, @"^deployments\s+deploy\s+apps/v1\s+true\s+Deployment$");
        AssertLine(result, @"^namespaces\s+ns\s+v1\s+false\s+Namespace$");
        AssertLine(result, @"^configmaps\s+cm\s+v1\s+true\s+ConfigMap$");

        // The short names resolve through discovery in ordinary commands too.
        (await K("get", "po,deploy,cm", "-n", "kube-system")).Succeeded();
    }

    [Fact]
    public async Task Version_ReportsServerVersion132()
    {
        var result = (await K("version")).Succeeded();

        AssertLine(result, @"^Client Version: v1\.32\.");
        AssertLine(result, @"^Server Version: v1\.32\.\d+");
        Assert.DoesNotContain("WARNING: version difference", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateNamespace_IsActive()
    {
        var ns = await NewNamespaceAsync();

        var result = (await K("get", "namespace", ns)).Succeeded();

        AssertLine(result, @"^NAME\s+STATUS\s+AGE$");
        AssertLine(result, $@"^{ns}\s+Active\s+\d+[smhd]\w*$");
        Assert.Equal("Active", await JsonPathAsync(ns, $"namespace/{ns}", "{.status.phase}"));
    }

    [Fact]
    public async Task CreateSecretGeneric_FromLiteral_StoresBase64Data()
    {
        var ns = await NewNamespaceAsync();

        (await K("create", "secret", "generic", "creds", "-n", ns, "--from-literal=user=admin", "--from-literal=password=s3cr3t!"))
            .Succeeded().Shows("secret/creds created");

        Assert.Equal("YWRtaW4=", await JsonPathAsync(ns, "secret/creds", "{.data.user}"));
        Assert.Equal("czNjcjN0IQ==", await JsonPathAsync(ns, "secret/creds", "{.data.password}"));
        var table = (await K("get", "secrets", "-n", ns)).Succeeded();
        AssertLine(table, @"^NAME\s+TYPE\s+DATA\s+AGE$");
        AssertLine(table, @"^creds\s+Opaque\s+2\s+\d+[smhd]\w*$");
    }

    [Fact]
    public async Task CreateConfigMap_FromLiteral_StoresData()
    {
        var ns = await NewNamespaceAsync();

        (await K("create", "configmap", "settings", "-n", ns, "--from-literal=color=blue", "--from-literal=size=10"))
            .Succeeded().Shows("configmap/settings created");

        Assert.Equal("blue 10", await JsonPathAsync(ns, "configmap/settings", "{.data.color} {.data.size}"));
        var table = (await K("get", "configmaps", "-n", ns)).Succeeded();
        AssertLine(table, @"^NAME\s+DATA\s+AGE$");
        AssertLine(table, @"^settings\s+2\s+\d+[smhd]\w*$");
    }

    [Fact]
    public async Task CreateDeployment_WithImageAndReplicas_StoresSpec()
    {
        var ns = await NewNamespaceAsync();

        (await K("create", "deployment", "web", "-n", ns, "--image=nginx:1.25", "--replicas=2"))
            .Succeeded().Shows("deployment.apps/web created");

        Assert.Equal("2 nginx:1.25 web web",
            await JsonPathAsync(ns, "deployment/web", "{.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.selector.matchLabels.app} {.spec.template.metadata.labels.app}"));
        var table = (await K("get", "deploy", "-n", ns)).Succeeded();
        AssertLine(table, @"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$");
        AssertLine(table, @"^web\s+\d/2\s+\d+\s+\d+\s+\d+[smhd]\w*$");
    }

    [Fact]
    public async Task DryRunServer_CreatesNothing()
    {
        var ns = await NewNamespaceAsync();

        (await K("create", "configmap", "ghost", "-n", ns, "--from-literal=a=b", "--dry-run=server"))
            .Succeeded().Shows("configmap/ghost created (server dry run)");
        (await KStdin(Manifests.Deployment(ns, "ghost"), "apply", "-f", "-", "--dry-run=server"))
            .Succeeded().Shows("deployment.apps/ghost created (server dry run)");

        (await K("get", "configmap", "ghost", "-n", ns)).Failed("NotFound", "configmaps \"ghost\" not found");
        (await K("get", "deployment", "ghost", "-n", ns)).Failed("NotFound", "deployments.apps \"ghost\" not found");

        // A dry-run delete leaves the object in place.
        (await K("create", "configmap", "kept", "-n", ns, "--from-literal=a=b")).Succeeded();
        (await K("delete", "configmap", "kept", "-n", ns, "--dry-run=server")).Succeeded().Shows("(server dry run)");
        (await K("get", "configmap", "kept", "-n", ns)).Succeeded();
    }
}
