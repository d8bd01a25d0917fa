using System.Text;
using k8s;
using k8s.Models;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Tests.Storage;

/// <summary>Stamping a revision into encoded bytes must give exactly what encoding again gives.</summary>
public sealed class RevisionStampTests
{
    private static readonly ObjectCodec Codec = new(ResourceRegistry.Default);

    [Theory]
    [InlineData(1L)]
    [InlineData(987654321012L)]
    public void Stamp_EqualsEncodingWithTheRevision_ForAPod(long revision)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "web-0",
                NamespaceProperty = "default",
                ResourceVersion = "41",
                // Keys spelled like the field elsewhere in the object are not the object's resourceVersion.
                Labels = new Dictionary<string, string> { ["resourceVersion"] = "7" },
                Annotations = new Dictionary<string, string> { ["note"] = "\"resourceVersion\":\"9\" ünïcødé ✓" },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web", Uid = "u-1", Controller = true }],
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx" }], NodeName = "n1" },
            Status = new V1PodStatus { Phase = "Running" },
        };

        AssertStampMatchesEncode("pods", pod, revision);
    }

    [Fact]
    public void Stamp_LeavesNestedObjectReferencesAlone()
    {
        // An Event's involvedObject carries its own resourceVersion, before metadata in no order we rely on.
        var ev = new Corev1Event
        {
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web-0", ResourceVersion = "3" },
            Metadata = new V1ObjectMeta { Name = "web-0.1", NamespaceProperty = "default", ResourceVersion = "3" },
            Reason = "Scheduled",
            Message = "resourceVersion",
        };

        AssertStampMatchesEncode("events", ev, 12345);
    }

    [Fact]
    public void Stamp_WorksWhenMetadataIsNotFirst()
    {
        var json = """{"kind":"ConfigMap","data":{"metadata":{"resourceVersion":"1"}},"apiVersion":"v1","metadata":{"name":"a","resourceVersion":"5","uid":"x"}}"""u8;

        var stamped = RevisionStamp.Stamp(json, 42);

        Assert.Equal("""{"kind":"ConfigMap","data":{"metadata":{"resourceVersion":"1"}},"apiVersion":"v1","metadata":{"name":"a","resourceVersion":"42","uid":"x"}}""",
            Encoding.UTF8.GetString(stamped));
    }

    [Fact]
    public void Stamp_RefusesObjectsWithoutAResourceVersion()
    {
        Assert.Throws<ArgumentException>(() => RevisionStamp.Stamp("""{"metadata":{"name":"a"},"data":{"resourceVersion":"1"}}"""u8, 2));
        Assert.Throws<ArgumentException>(() => RevisionStamp.Stamp("""[{"metadata":{"resourceVersion":"1"}}]"""u8, 2));
    }

    private static void AssertStampMatchesEncode(string resource, IKubernetesObject<V1ObjectMeta> obj, long revision)
    {
        var before = Codec.Encode(resource, obj);
        obj.Metadata.ResourceVersion = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var expected = Codec.Encode(resource, obj);

        var stamped = RevisionStamp.Stamp(before, revision);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(stamped));
    }
}
