using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Patching;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Tests.Http;

/// <summary>
/// The tracker compares only the fields that differ between two versions; its managedFields must be
/// exactly what the field manager gives for the whole objects (its spec/status half dropped).
/// </summary>
public sealed class ManagedFieldsTrackerTests
{
    private static readonly ResourceType Pods = ResourceRegistry.Default.Find("", "v1", "pods")!;
    private static readonly ObjectCodec Codec = new(ResourceRegistry.Default);
    private static readonly DateTime T0 = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    public static TheoryData<string> Steps() => ["status", "status-other-spec", "labels", "image", "unlabel", "annotate-status", "noop", "containers", "clear", "reset", "handover"];

    [Theory]
    [MemberData(nameof(Steps))]
    public void TrackUpdate_EqualsTheFieldManagerOnWholeObjects(string step)
    {
        var tracker = new ManagedFieldsTracker();
        var created = Pod();
        tracker.TrackUpdate(Pods, null, created, "kubectl-create", null, T0);
        var old = Copy(created);
        var status = Copy(old);
        status.Status = new V1PodStatus { Phase = "Pending", Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True" }] };
        tracker.TrackUpdate(Pods, old, status, "kube-scheduler", "status", T0.AddSeconds(1));
        old = Copy(status);

        var updated = Copy(old);
        string? subresource = null;
        var manager = "editor";
        switch (step)
        {
            case "status":
                (subresource, manager) = ("status", "kubelet");
                updated.Status.Phase = "Running";
                updated.Status.PodIP = "10.0.0.5";
                updated.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True" }, new V1PodCondition { Type = "Ready", Status = "True" }];
                updated.Status.ContainerStatuses = [new V1ContainerStatus { Name = "app", Image = "nginx", ImageID = "", Ready = true, RestartCount = 0 }];
                break;
            case "status-other-spec":
                // A status write encodes and compares apiVersion, kind, metadata and status only: a spec
                // that differs (the handler puts the stored one back) changes no ownership.
                (subresource, manager) = ("status", "kubelet");
                updated.Spec.Containers[0].Image = "nginx:2";
                updated.Spec.NodeSelector = null;
                updated.Status.Phase = "Running";
                break;
            case "labels":
                updated.Metadata.Labels["tier"] = "web";
                break;
            case "image":
                updated.Spec.Containers[0].Image = "nginx:2";
                break;
            case "unlabel":
                updated.Metadata.Labels.Remove("app");
                break;
            case "annotate-status":
                // A status write that also carries a metadata change is still compared in full.
                (subresource, manager) = ("status", "kubelet");
                updated.Metadata.Annotations = new Dictionary<string, string> { ["note"] = "x" };
                updated.Status.Phase = "Running";
                break;
            case "containers":
                updated.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "busybox" });
                break;
            case "reset":
                // managedFields: [{}] clears them.
                updated.Metadata.ManagedFields = [new V1ManagedFieldsEntry()];
                updated.Metadata.Labels["tier"] = "web";
                break;
            case "handover":
                // The client sends managedFields of its own: they replace the stored ones, then are updated.
                updated.Metadata.ManagedFields = [new V1ManagedFieldsEntry
                {
                    Manager = "other", Operation = "Update", ApiVersion = "v1", FieldsType = "FieldsV1",
                    FieldsV1 = JsonSerializer.Deserialize<JsonElement>("""{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:nodeSelector":{}}}"""),
                }];
                updated.Spec.NodeSelector["disk"] = "hdd";
                break;
            case "clear":
                updated.Metadata.Labels = null;
                updated.Spec.NodeSelector = null;
                break;
        }

        var expected = Reference(old, Copy(updated), manager, subresource, T0.AddSeconds(2));
        tracker.TrackUpdate(Pods, old, updated, manager, subresource, T0.AddSeconds(2), Codec.Encode("pods", old));

        Assert.Equal(expected, Json(updated.Metadata.ManagedFields));
    }

    /// <summary>What the tracker computed before it compared only the differing fields.</summary>
    [Fact]
    public void TrackedEntries_EncodeByteForByteAsTheirDecodedCopy()
    {
        var pod = Pod();
        new ManagedFieldsTracker().TrackUpdate(Pods, null, pod, "kubectl-create", null, T0);
        Assert.IsType<RawJsonValue>(pod.Metadata.ManagedFields.Single().FieldsV1);
        Assert.Contains("k:{\\\"", System.Text.Encoding.UTF8.GetString(Codec.Encode("pods", pod)), StringComparison.Ordinal);

        var encoded = Codec.Encode("pods", pod);
        var decoded = Codec.Decode("pods", encoded);
        Assert.IsType<JsonElement>(decoded.Metadata.ManagedFields.Single().FieldsV1);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(encoded), System.Text.Encoding.UTF8.GetString(Codec.Encode("pods", decoded)));
        Assert.Equal(T0, decoded.Metadata.ManagedFields.Single().Time);
    }

    private static string Reference(V1Pod old, V1Pod updated, string manager, string? subresource, DateTime now)
    {
        var ignored = subresource == "status" ? "spec" : "status";
        var o = KubeJson.ToNode(old, typeof(V1Pod))!.AsObject();
        var n = KubeJson.ToNode(updated, typeof(V1Pod))!.AsObject();
        o.Remove(ignored);
        n.Remove(ignored);
        var result = FieldManager.Update(o, n, manager, typeof(V1Pod), "v1", now, subresource, [ignored]);
        return Json(result["metadata"]?["managedFields"]?.Deserialize<IList<V1ManagedFieldsEntry>>(KubeJson.Options));
    }

    private static string Json(IList<V1ManagedFieldsEntry>? entries) =>
        entries is null ? "null" : JsonSerializer.Serialize(entries, KubeJson.Options);

    private static V1Pod Copy(V1Pod pod) => (V1Pod)Codec.Decode("pods", Codec.Encode("pods", pod));

    private static V1Pod Pod() => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web-0",
            NamespaceProperty = "default",
            Uid = "u-1",
            ResourceVersion = "5",
            Labels = new Dictionary<string, string> { ["app"] = "web" },
        },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "app", Image = "nginx", Ports = [new V1ContainerPort { ContainerPort = 80 }] }],
            NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" },
        },
    };
}
