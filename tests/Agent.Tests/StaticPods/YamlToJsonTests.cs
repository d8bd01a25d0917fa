using System.Text;
using k8s;
using k8s.Models;
using KubeWeb.Agent.StaticPods;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Agent.Tests.StaticPods;

public sealed class YamlToJsonTests
{
    private const string Manifest = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {app: web, "version": "2"}
          annotations:
            note: |
              two
              lines
        spec:
          terminationGracePeriodSeconds: 5
          hostNetwork: false
          containers:
          - name: app
            image: busybox:1.36
            command: ["sleep", "3600"]
            env:
            - {name: A, value: "3"}
            - name: B
              value: 'true'
            ports: [{containerPort: 80, name: http}]
            resources: {limits: {cpu: 1, memory: 64Mi}, requests: {cpu: 250m}}
            livenessProbe: {httpGet: {port: http, path: /}, periodSeconds: 3}
            readinessProbe: {tcpSocket: {port: 80}}
            securityContext: {runAsUser: 1000}
        """;

    [Fact]
    public void Convert_TypesPlainScalars_AndKeepsQuotedOnesStrings()
    {
        var json = Encoding.UTF8.GetString(YamlToJson.Convert("a: 1\nb: '1'\nc: true\nd: \"true\"\ne: ~\nf: 1.5\ng: 1.2.3\nh: -7\ni: [x, 2]\nj:\nk: 0x1F\n"));

        Assert.Equal("""{"a":1,"b":"1","c":true,"d":"true","e":null,"f":1.5,"g":"1.2.3","h":-7,"i":["x",2],"j":null,"k":"0x1F"}""", json);
    }

    [Fact]
    public void Manifest_ReadsAsTheSamePod_AsTheReflectionYamlReader()
    {
        var viaJson = KubeJson.Deserialize<V1Pod>(YamlToJson.Convert(Manifest))!;
        var viaYaml = KubernetesYaml.Deserialize<V1Pod>(Manifest);

        Assert.Equal(Encoding.UTF8.GetString(KubeJson.SerializeToUtf8(viaYaml)), Encoding.UTF8.GetString(KubeJson.SerializeToUtf8(viaJson)));
        Assert.Equal("3", viaJson.Spec.Containers[0].Env[0].Value);
        Assert.Equal("true", viaJson.Spec.Containers[0].Env[1].Value);
        Assert.Equal("1", viaJson.Spec.Containers[0].Resources.Limits["cpu"].ToString());
        Assert.Equal("http", viaJson.Spec.Containers[0].LivenessProbe.HttpGet.Port.Value);
        Assert.Equal("two\nlines\n", viaJson.Metadata.Annotations["note"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a: [unclosed")]
    [InlineData("? [a, b]\n: c\n")]
    public void Convert_BadYaml_IsAFormatException(string yaml) =>
        Assert.Throws<FormatException>(() => YamlToJson.Convert(yaml));

    [Fact]
    public void StaticPodManifest_FromJson_IsReadAsYaml()
    {
        var pod = StaticPodManifest.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""", "n1");

        Assert.Equal("j-n1", pod.Metadata.Name);
    }
}
