using k8s.Models;
using KubeWeb.Agent.Runtime.Containerd;
using KubeWeb.Core.Agents;
using Xunit;

namespace KubeWeb.Agent.Tests.Containerd;

public sealed class PodConfigTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kw-atomic-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void AtomicWriter_SwapsDataLinkAndRemovesStaleKeys()
    {
        Assert.True(AtomicWriter.Write(_dir, new Dictionary<string, AtomicWriter.FileEntry> { ["a"] = new("1"u8.ToArray(), 420), ["sub/b"] = new("2"u8.ToArray(), 256) }));
        var first = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget;
        Assert.Equal("1", File.ReadAllText(Path.Combine(_dir, "a")));
        Assert.Equal("2", File.ReadAllText(Path.Combine(_dir, "sub", "b")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal((UnixFileMode)256, File.GetUnixFileMode(Path.Combine(_dir, "..data", "sub", "b")));
        }

        Assert.False(AtomicWriter.Write(_dir, new Dictionary<string, AtomicWriter.FileEntry> { ["a"] = new("1"u8.ToArray(), 420), ["sub/b"] = new("2"u8.ToArray(), 256) }));

        Assert.True(AtomicWriter.Write(_dir, new Dictionary<string, AtomicWriter.FileEntry> { ["a"] = new("3"u8.ToArray(), 420) }));
        Assert.NotEqual(first, new FileInfo(Path.Combine(_dir, "..data")).LinkTarget);
        Assert.Equal("3", File.ReadAllText(Path.Combine(_dir, "a")));
        Assert.False(Path.Exists(Path.Combine(_dir, "sub")));
        Assert.False(Directory.Exists(Path.Combine(_dir, first!)));
    }

    [Fact]
    public void Env_EnvFromThenEnv_WithKubeletErrors()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns", Uid = "u" },
            Spec = new V1PodSpec { Containers = [] },
        };
        var objects = new PodObjects();
        objects.ConfigMaps["cm"] = new V1ConfigMap { Data = new Dictionary<string, string> { ["A"] = "1", ["bad key"] = "x" } };
        objects.ConfigMaps["gone"] = null;
        var spec = new V1Container
        {
            Name = "c",
            Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") } },
            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "cm" }, Prefix = "P_" }],
            Env =
            [
                new V1EnvVar { Name = "B", Value = "$(P_A)-b" },
                new V1EnvVar { Name = "CPU", ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.cpu", Divisor = new ResourceQuantity("1m") } } },
                new V1EnvVar { Name = "O", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "gone", Key = "k", Optional = true } } },
            ],
        };

        var env = ContainerConfigFactory.Env(pod, spec, null, objects).ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(new Dictionary<string, string> { ["P_A"] = "1", ["B"] = "1-b", ["CPU"] = "250" }, env);

        spec.Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "cm", Key = "k" } } }];
        Assert.Equal("couldn't find key k in ConfigMap ns/cm", Assert.Throws<ContainerConfigFactory.ConfigException>(() => ContainerConfigFactory.Env(pod, spec, null, objects)).Message);
        spec.Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "s", Key = "k" } } }];
        Assert.Equal("secret \"s\" not found", Assert.Throws<ContainerConfigFactory.ConfigException>(() => ContainerConfigFactory.Env(pod, spec, null, objects)).Message);
    }

    [Fact]
    public void References_CoverEnvVolumesAndProjections()
    {
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "c", EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "s1" } }] }],
                Volumes =
                [
                    new V1Volume { Name = "v", ConfigMap = new V1ConfigMapVolumeSource { Name = "cm1" } },
                    new V1Volume { Name = "p", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { Secret = new V1SecretProjection { Name = "s2" } }] } },
                ],
            },
        };

        Assert.True(PodObjectReferences.References(pod, PodObjectReferences.ConfigMap, "cm1"));
        Assert.True(PodObjectReferences.References(pod, PodObjectReferences.Secret, "s1"));
        Assert.True(PodObjectReferences.References(pod, PodObjectReferences.Secret, "s2"));
        Assert.False(PodObjectReferences.References(pod, PodObjectReferences.Secret, "cm1"));
        Assert.False(PodObjectReferences.References(pod, PodObjectReferences.ConfigMap, "other"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
