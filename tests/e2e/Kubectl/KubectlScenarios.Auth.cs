namespace KubeWeb.E2E.Kubectl;

public abstract partial class KubectlScenarios
{
    [Fact]
    public async Task AuthCanI_AndWhoAmI_AnswerForTheAdmin()
    {
        // Protobuf SelfSubjectAccessReview / SelfSubjectReview bodies (kubectl 1.32's typed client).
        (await K("auth", "can-i", "create", "pods")).Succeeded().Shows("yes");
        (await K("auth", "can-i", "delete", "deployments.apps", "--all-namespaces")).Succeeded().Shows("yes");
        (await K("auth", "whoami")).Succeeded().Shows("kubeweb-admin", "system:masters");
    }

    [Fact]
    public async Task SingleObjectWatch_ThroughTheTypedApi_SeesLaterChanges()
    {
        var ns = await NewNamespaceAsync();
        (await K("create", "configmap", "watched", "--from-literal=a=1", "-n", ns)).Succeeded();
        await using var watch = Watch("get", "configmap", "watched", "-n", ns, "-w", "-o", "jsonpath={.data.a}{\"\\n\"}");
        await watch.WaitForLineAsync(l => l.Trim() == "1", "the initial value");
        (await K("patch", "configmap", "watched", "-n", ns, "--type", "merge", "-p", "{\"data\":{\"a\":\"2\"}}")).Succeeded();
        await watch.WaitForLineAsync(l => l.Trim() == "2", "the patched value");
    }
}
