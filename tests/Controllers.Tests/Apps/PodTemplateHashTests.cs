using k8s.Models;
using KubeWeb.Controllers.Apps;

namespace KubeWeb.Controllers.Tests.Apps;

public class PodTemplateHashTests
{
    private static V1PodTemplateSpec Template(string image, params (string Key, string Value)[] labels) => new()
    {
        Metadata = new V1ObjectMeta { Labels = labels.ToDictionary(l => l.Key, l => l.Value) },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
    };

    [Fact]
    public void Compute_IsStableAndUsesOnlySafeCharacters()
    {
        var a = PodTemplateHash.Compute(Template("nginx:1", ("app", "web")), null);
        var b = PodTemplateHash.Compute(Template("nginx:1", ("app", "web")), null);

        Assert.Equal(a, b);
        Assert.InRange(a.Length, 1, 10);
        Assert.All(a, c => Assert.Contains(c, "bcdfghjklmnpqrstvwxz2456789"));
    }

    [Fact]
    public void Compute_ChangesWithTemplateAndCollisionCount()
    {
        var t = Template("nginx:1", ("app", "web"));

        Assert.NotEqual(PodTemplateHash.Compute(t, null), PodTemplateHash.Compute(Template("nginx:2", ("app", "web")), null));
        Assert.NotEqual(PodTemplateHash.Compute(t, null), PodTemplateHash.Compute(t, 1));
        Assert.NotEqual(PodTemplateHash.Compute(t, 1), PodTemplateHash.Compute(t, 2));
    }

    [Fact]
    public void Compute_DoesNotDependOnLabelOrder()
    {
        Assert.Equal(
            PodTemplateHash.Compute(Template("nginx", ("a", "1"), ("b", "2")), null),
            PodTemplateHash.Compute(Template("nginx", ("b", "2"), ("a", "1")), null));
    }

    [Fact]
    public void SafeEncode_MapsEachCharacterByCode()
    {
        // '0' is 48, 48 % 27 = 21 -> '4'; '1' is 49 -> '5'.
        Assert.Equal("45", PodTemplateHash.SafeEncode("01"));
    }

    [Fact]
    public void EqualIgnoreHash_IgnoresOnlyThePodTemplateHashLabel()
    {
        var plain = Template("nginx", ("app", "web"));
        var hashed = PodTemplateHash.WithHash(plain, "abc");

        Assert.True(PodTemplateHash.EqualIgnoreHash(plain, hashed));
        Assert.False(PodTemplateHash.EqualIgnoreHash(plain, Template("nginx", ("app", "web"), ("tier", "x"))));
        Assert.False(PodTemplateHash.EqualIgnoreHash(plain, Template("nginx:2", ("app", "web"))));
        Assert.False(plain.Metadata.Labels.ContainsKey(PodTemplateHash.Label));
    }
}
