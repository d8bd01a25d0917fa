using System.Text.Json.Nodes;
using k8s.Models;
using KubeWeb.Api.Patching;
using KubeWeb.Core.Serialization;
using static KubeWeb.Api.Tests.Patching.FieldManagerApplyTests;

namespace KubeWeb.Api.Tests.Patching;

public sealed class FieldManagerUpdateTests
{
    private static JsonObject Update(JsonObject? old, JsonObject updated, string manager, DateTime? at = null) =>
        FieldManager.Update(old, updated, manager, typeof(V1Deployment), "apps/v1", at ?? T0);

    private static JsonObject WithImage(JsonObject obj, string image)
    {
        var copy = obj.DeepClone().AsObject();
        copy["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
        return copy;
    }

    [Fact]
    public void Update_OnCreate_OwnsEveryFieldSet()
    {
        var created = Update(null, Deployment(), "kubectl-create");

        var entry = Entry(created, "kubectl-create");
        Assert.Equal("Update", (string?)entry["operation"]);
        var fields = entry["fieldsV1"]!.ToJsonString(KubeJson.Options);
        Assert.Contains("""{"f:metadata":{"f:labels":{".":{},"f:app":{}}}""", fields, StringComparison.Ordinal);
        Assert.Contains("""k:{\"name\":\"nginx\"}":{".":{},"f:image":{}""", fields, StringComparison.Ordinal);
        Assert.DoesNotContain("f:name\":{},\"f:namespace", fields, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_ChangedField_MovesFromApplierToUpdater()
    {
        var live = Apply(null, Deployment(), "kubectl").Object!;

        var updated = Update(live, WithImage(live, "nginx:2"), "kubectl-set", T1);

        Assert.Contains("f:image", Entry(updated, "kubectl-set")["fieldsV1"]!.ToJsonString(KubeJson.Options), StringComparison.Ordinal);
        Assert.DoesNotContain("f:image", Entry(updated, "kubectl")["fieldsV1"]!.ToJsonString(KubeJson.Options), StringComparison.Ordinal);
        Assert.Equal("2024-01-01T00:05:00Z", (string?)Entry(updated, "kubectl-set")["time"]);

        var reapply = Apply(updated, Deployment(), "kubectl", at: T1);
        Assert.Equal(".spec.template.spec.containers[name=\"nginx\"].image", Assert.Single(reapply.Conflicts).Field);
        Assert.Equal("conflict with \"kubectl-set\" using apps/v1", reapply.Conflicts[0].Message);
    }

    [Fact]
    public void Update_WithoutChanges_KeepsEntriesAndTimes()
    {
        var live = Apply(null, Deployment(), "kubectl").Object!;

        var updated = Update(live, live, "kubectl-edit", T1);

        Assert.Single(ManagedFields(updated));
        Assert.Equal("2024-01-01T00:00:00Z", (string?)Entry(updated, "kubectl")["time"]);
    }

    [Fact]
    public void Update_RemovedField_LeavesEveryOwner()
    {
        var live = Apply(null, Deployment(tier: "web"), "kubectl").Object!;
        var changed = live.DeepClone().AsObject();
        changed["metadata"]!["labels"]!.AsObject().Remove("tier");

        var updated = Update(live, changed, "kubectl-label", T1);

        Assert.DoesNotContain("f:tier", Entry(updated, "kubectl")["fieldsV1"]!.ToJsonString(KubeJson.Options), StringComparison.Ordinal);
        Assert.DoesNotContain(ManagedFields(updated), e => (string?)e!["manager"] == "kubectl-label");
    }

    [Fact]
    public void Update_ExistingUntrackedObject_StaysUntracked()
    {
        var old = Deployment();

        var updated = Update(old, WithImage(old, "nginx:2"), "kubectl-set");

        Assert.Null(updated["metadata"]!["managedFields"]);
    }

    [Fact]
    public void Update_EmptyEntryList_ResetsManagedFields()
    {
        var live = Apply(null, Deployment(), "kubectl").Object!;
        var reset = live.DeepClone().AsObject();
        reset["metadata"]!["managedFields"] = new JsonArray(new JsonObject());

        var updated = Update(live, reset, "kubectl-patch");

        Assert.Null(updated["metadata"]!["managedFields"]);
    }

    [Fact]
    public void Update_ClientOmittingManagedFields_KeepsLiveOnes()
    {
        var live = Apply(null, Deployment(), "kubectl").Object!;
        var put = WithImage(live, "nginx:2");
        put["metadata"]!.AsObject().Remove("managedFields");

        var updated = Update(live, put, "kubectl-replace", T1);

        Assert.Equal(["kubectl", "kubectl-replace"], ManagedFields(updated).Select(e => (string?)e!["manager"]));
    }

    [Fact]
    public void Update_StatusSubresource_IsRecordedSeparately()
    {
        var live = Apply(null, Deployment(), "kubectl").Object!;
        var withStatus = live.DeepClone().AsObject();
        withStatus["status"] = JsonNode.Parse("""{"replicas":2}""");

        var updated = FieldManager.Update(live, withStatus, "kube-controller-manager", typeof(V1Deployment), "apps/v1", T1, subresource: "status");

        var entry = Entry(updated, "kube-controller-manager");
        Assert.Equal("status", (string?)entry["subresource"]);
        Assert.Equal("""{"f:status":{"f:replicas":{}}}""", entry["fieldsV1"]!.ToJsonString(KubeJson.Options));
    }

    [Fact]
    public void Update_ManyManagers_OldestFoldIntoAncientChanges()
    {
        var obj = Update(null, Deployment(), "creator");
        for (var i = 0; i < 11; i++)
        {
            var next = obj.DeepClone().AsObject();
            next["metadata"]!["labels"]![$"l{i}"] = "x";
            obj = Update(obj, next, $"writer-{i}", T0.AddMinutes(i + 1));
        }

        var managers = ManagedFields(obj).Select(e => (string?)e!["manager"]).ToList();
        Assert.Equal(FieldManager.MaxUpdateManagers, managers.Count);
        Assert.Contains(FieldManager.AncientChangesManager, managers);
        Assert.DoesNotContain("creator", managers);
    }
}
