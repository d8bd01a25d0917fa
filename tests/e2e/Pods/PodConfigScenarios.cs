using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Pods;

/// <summary>ConfigMaps and Secrets reaching real pods: env, envFrom, volumes and their updates.</summary>
[Trait("Category", "E2E")]
[Trait("Category", "Containerd")]
public sealed class PodConfigScenarios(ContainerdServer fixture, ITestOutputHelper output) : IClassFixture<ContainerdServer>, IDisposable
{
    private readonly Infrastructure.Kubectl _kubectl = new(fixture.Server.KubeconfigPath, output);

    [Fact]
    public async Task EnvAndVolumes_FromConfigMapAndSecret_FollowUpdates()
    {
        (await _kubectl.RunAsync("create", "configmap", "cfg", "--from-literal=key=one", "--from-literal=COLOR=blue")).Succeeded();
        (await _kubectl.RunAsync("create", "secret", "generic", "creds", "--from-literal=password=s3cret")).Succeeded();
        const string pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: cfgpod, labels: {app: cfg}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: c
                image: localhost/kubeweb/busybox:1.0
                command: [sleep, "3600"]
                resources: {limits: {memory: 64Mi}}
                envFrom:
                - configMapRef: {name: cfg}
                  prefix: CM_
                env:
                - name: PASSWORD
                  valueFrom: {secretKeyRef: {name: creds, key: password}}
                - name: MEM_MI
                  valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
                - name: MAYBE
                  valueFrom: {configMapKeyRef: {name: absent, key: k, optional: true}}
                volumeMounts:
                - {name: cfg, mountPath: /etc/cfg}
                - {name: sec, mountPath: /etc/sec}
                - {name: info, mountPath: /etc/info}
              volumes:
              - name: cfg
                configMap: {name: cfg}
              - name: sec
                secret: {secretName: creds, defaultMode: 0400}
              - name: info
                downwardAPI:
                  items:
                  - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                  - {path: name, fieldRef: {fieldPath: metadata.name}}
            """;
        (await _kubectl.RunAsync(["apply", "-f", "-"], pod)).Succeeded();
        (await _kubectl.RunAsync(["wait", "pod/cfgpod", "--for=condition=Ready", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();

        var env = (await _kubectl.RunAsync("exec", "cfgpod", "--", "env")).Succeeded().Stdout;
        Assert.Contains("PASSWORD=s3cret", env);
        Assert.Contains("CM_COLOR=blue", env);
        Assert.Contains("CM_key=one", env);
        Assert.Contains("MEM_MI=64", env);
        Assert.DoesNotContain("MAYBE=", env);
        Assert.Equal("one", (await _kubectl.RunAsync("exec", "cfgpod", "--", "cat", "/etc/cfg/key")).Succeeded().Stdout);
        Assert.Equal("s3cret", (await _kubectl.RunAsync("exec", "cfgpod", "--", "cat", "/etc/sec/password")).Succeeded().Stdout);
        Assert.Equal("app=\"cfg\"", (await _kubectl.RunAsync("exec", "cfgpod", "--", "cat", "/etc/info/labels")).Succeeded().Stdout);
        Assert.Equal("cfgpod", (await _kubectl.RunAsync("exec", "cfgpod", "--", "cat", "/etc/info/name")).Succeeded().Stdout);
        Assert.Contains("..data", (await _kubectl.RunAsync("exec", "cfgpod", "--", "ls", "-a", "/etc/cfg")).Succeeded().Stdout);

        (await _kubectl.RunAsync("patch", "configmap", "cfg", "-p", "{\"data\":{\"key\":\"two\"}}")).Succeeded();
        var seen = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline && seen != "two";)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            seen = (await _kubectl.RunAsync("exec", "cfgpod", "--", "cat", "/etc/cfg/key")).Stdout;
        }

        Assert.Equal("two", seen);
        (await _kubectl.RunAsync("delete", "pod", "cfgpod", "--grace-period=1")).Succeeded();
        (await _kubectl.RunAsync("delete", "configmap", "cfg")).Succeeded();
        (await _kubectl.RunAsync("delete", "secret", "creds")).Succeeded();
    }

    [Fact]
    public async Task MissingConfigMap_IsCreateContainerConfigError()
    {
        const string pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: nocfg}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: c
                image: localhost/kubeweb/busybox:1.0
                command: [sleep, "3600"]
                env:
                - name: X
                  valueFrom: {configMapKeyRef: {name: missing, key: k}}
            """;
        (await _kubectl.RunAsync(["apply", "-f", "-"], pod)).Succeeded();
        (await _kubectl.RunAsync(["wait", "pod/nocfg", "--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=CreateContainerConfigError", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();
        var message = (await _kubectl.RunAsync("get", "pod", "nocfg", "-o", "jsonpath={.status.containerStatuses[0].state.waiting.message}")).Succeeded().Stdout;
        Assert.Equal("configmap \"missing\" not found", message);

        // Created later, the ConfigMap is picked up on retry.
        (await _kubectl.RunAsync("create", "configmap", "missing", "--from-literal=k=v")).Succeeded();
        (await _kubectl.RunAsync(["wait", "pod/nocfg", "--for=condition=Ready", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();
        Assert.Contains("X=v", (await _kubectl.RunAsync("exec", "nocfg", "--", "env")).Succeeded().Stdout);
        (await _kubectl.RunAsync("delete", "pod", "nocfg", "--grace-period=1")).Succeeded();
        (await _kubectl.RunAsync("delete", "configmap", "missing")).Succeeded();
    }

    public void Dispose() => _kubectl.Dispose();
}
