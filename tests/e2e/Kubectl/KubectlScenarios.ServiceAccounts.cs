namespace KubeWeb.E2E.Kubectl;

public abstract partial class KubectlScenarios
{
    [Fact]
    public async Task CreateToken_IssuesAJwtTheApiAccepts_UntilTheAccountIsGone()
    {
        var ns = await NewNamespaceAsync();
        (await K("create", "serviceaccount", "builder", "-n", ns)).Succeeded();
        var token = (await K("create", "token", "builder", "-n", ns, "--duration=20m")).Succeeded().Stdout.Trim();
        Assert.Matches(@"^eyJ[\w-]+\.[\w-]+\.[\w-]+$", token);

        (await K("--token", token, "auth", "whoami")).Succeeded().Shows($"system:serviceaccount:{ns}:builder", $"system:serviceaccounts:{ns}");
        (await K("--token", token, "get", "configmaps", "-n", ns)).Succeeded();

        (await K("create", "token", "builder", "-n", ns, "--duration=5m")).Failed("may not specify a duration less than 10 minutes");
        (await K("create", "token", "missing", "-n", ns)).Failed("serviceaccounts \"missing\" not found");
        (await K("create", "token", "builder", "-n", ns, "--bound-object-kind=Pod", "--bound-object-name=absent")).Failed("pods \"absent\" not found");

        (await K("delete", "serviceaccount", "builder", "-n", ns)).Succeeded();
        (await K("--token", token, "get", "configmaps", "-n", ns)).Failed("Unauthorized");
    }

    [Fact]
    public async Task Pods_NamingAMissingAccount_AreForbidden_UntilItExists()
    {
        var ns = await NewNamespaceAsync();
        string[] run = ["run", "bot", "-n", ns, "--image=busybox:1.0", "--restart=Never", "--overrides={\"spec\":{\"serviceAccountName\":\"robot\"}}", "--", "sleep", "3600"];
        (await K(run)).Failed($"pods \"bot\" is forbidden: error looking up service account {ns}/robot: serviceaccount \"robot\" not found");

        (await K("create", "serviceaccount", "robot", "-n", ns)).Succeeded();
        (await K(run)).Succeeded();
        Assert.Equal("robot", await JsonPathAsync(ns, "pod/bot", "{.spec.serviceAccountName}"));
    }

    [Fact]
    public async Task Pods_GetTheDefaultAccountAndTheKubeApiAccessVolume()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "web");
        Assert.Equal("default", await JsonPathAsync(ns, "pod/web", "{.spec.serviceAccountName}"));
        var volume = await JsonPathAsync(ns, "pod/web", "{.spec.volumes[0].name}");
        Assert.Matches("^kube-api-access-[a-z0-9]{5}$", volume);
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount", await JsonPathAsync(ns, "pod/web", "{.spec.containers[0].volumeMounts[0].mountPath}"));
    }
}
