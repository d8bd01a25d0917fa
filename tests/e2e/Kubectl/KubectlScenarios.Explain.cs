namespace KubeWeb.E2E.Kubectl;

public abstract partial class KubectlScenarios
{
    [Fact]
    public async Task Explain_ShowsFieldsTypesAndDescriptionsFromTheServedSchemas()
    {
        var pods = (await K("explain", "pods.spec.containers.ports")).Succeeded();
        AssertLine(pods, @"^KIND:\s+Pod$");
        AssertLine(pods, @"^VERSION:\s+v1$");
        AssertLine(pods, @"^FIELD:\s+ports\s+<\[\]ContainerPort>$");
        AssertLine(pods, @"^\s+containerPort\s+<integer>");
        AssertLine(pods, @"^\s+protocol\s+<string>$");
        Assert.Contains("List of ports to expose from the container.", pods.Stdout, StringComparison.Ordinal);

        var deployment = (await K("explain", "deployment.spec")).Succeeded();
        AssertLine(deployment, @"^GROUP:\s+apps$");
        AssertLine(deployment, @"^\s+template\s+<PodTemplateSpec>");
        AssertLine(deployment, @"^\s+selector\s+<LabelSelector>");

        var recursive = (await K("explain", "cronjob.spec.jobTemplate", "--recursive")).Succeeded();
        AssertLine(recursive, @"^\s+restartPolicy\s+<string>");
    }

    [Fact]
    public async Task Apply_ClientSide_MergesListsByKeyAndRetainsStrategyKeys()
    {
        var ns = await NewNamespaceAsync();
        string Manifest(string strategy, string containers) => $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: {ns}
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: web
              strategy:
            {strategy}
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
            {containers}
            """;
        const string rolling = "    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 2";
        const string web = "      - name: web\n        image: nginx:1.25";
        const string sidecar = "      - name: sidecar\n        image: busybox:1.36";

        (await KStdin(Manifest(rolling, web + "\n" + sidecar), "apply", "-f", "-")).Succeeded().Shows("deployment.apps/web created");
        (await K("set", "env", "deployment/web", "-n", ns, "-c", "web", "MODE=live")).Succeeded();

        (await KStdin(Manifest("    type: Recreate", web), "apply", "-f", "-")).Succeeded().Shows("deployment.apps/web configured");

        Assert.Equal("web|MODE=live|Recreate|", await JsonPathAsync(ns, "deployment/web",
            "{.spec.template.spec.containers[*].name}|{.spec.template.spec.containers[0].env[0].name}={.spec.template.spec.containers[0].env[0].value}|{.spec.strategy.type}|{.spec.strategy.rollingUpdate}"));
    }
}
