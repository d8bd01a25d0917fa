using System.Text.Json.Nodes;
using k8s.Models;
using KubeWeb.Api.Patching;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Tests.Patching;

public sealed class FieldManagerApplyTests
{
    internal static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    internal static readonly DateTime T1 = T0.AddMinutes(5);

    internal static JsonObject Deployment(int? replicas = 2, string image = "nginx:1.25", string? tier = null)
    {
        const string template = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default","labels":LABELS},
             "spec":{REPLICAS"selector":{"matchLabels":{"app":"nginx"}},
               "template":{"metadata":{"labels":{"app":"nginx"}},
                 "spec":{"containers":[{"name":"nginx","image":"IMAGE","ports":[{"containerPort":80}]}]}}}}
            """;
        var json = template
            .Replace("LABELS", tier is null ? """{"app":"nginx"}""" : "{\"app\":\"nginx\",\"tier\":\"" + tier + "\"}", StringComparison.Ordinal)
            .Replace("REPLICAS", replicas is null ? "" : $"\"replicas\":{replicas},", StringComparison.Ordinal)
            .Replace("IMAGE", image, StringComparison.Ordinal);
        return JsonNode.Parse(json)!.AsObject();
    }

    internal static ApplyResult Apply(JsonObject? live, JsonObject config, string manager, bool force = false, DateTime? at = null) =>
        FieldManager.Apply(live, config, manager, force, typeof(V1Deployment), "apps/v1", at ?? T0);

    internal static JsonArray ManagedFields(JsonNode obj) => obj["metadata"]!["managedFields"]!.AsArray();

    internal static JsonObject Entry(JsonNode obj, string manager) =>
        ManagedFields(obj).Single(e => (string?)e!["manager"] == manager)!.AsObject();

    [Fact]
    public void Ssa_Create_RecordsAppliedFieldsInFieldsV1()
    {
        var result = Apply(null, Deployment(), "kubectl");

        Assert.False(result.HasConflicts);
        var entry = Assert.Single(ManagedFields(result.Object!))!.AsObject();
        Assert.Equal("kubectl", (string?)entry["manager"]);
        Assert.Equal("Apply", (string?)entry["operation"]);
        Assert.Equal("apps/v1", (string?)entry["apiVersion"]);
        Assert.Equal("2024-01-01T00:00:00Z", (string?)entry["time"]);
        Assert.Equal("FieldsV1", (string?)entry["fieldsType"]);
        Assert.Equal(
            """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}""",
            entry["fieldsV1"]!.ToJsonString(KubeJson.Options));
        Assert.Equal(2, (int)result.Object!["spec"]!["replicas"]!);
    }

    [Fact]
    public void Ssa_Reapply_RemovesFieldsDroppedFromConfig()
    {
        var live = Apply(null, Deployment(tier: "web"), "kubectl").Object!;

        var result = Apply(live, Deployment(replicas: null), "kubectl", at: T1);

        var obj = result.Object!;
        Assert.False(obj["spec"]!.AsObject().ContainsKey("replicas"));
        Assert.Equal("""{"app":"nginx"}""", obj["metadata"]!["labels"]!.ToJsonString());
        Assert.DoesNotContain("f:replicas", Entry(obj, "kubectl")["fieldsV1"]!.ToJsonString(KubeJson.Options), StringComparison.Ordinal);
        Assert.Equal("2024-01-01T00:05:00Z", (string?)Entry(obj, "kubectl")["time"]);
    }

    [Fact]
    public void Ssa_DroppedField_StaysWhenAnotherApplierOwnsIt()
    {
        var live = Apply(null, Deployment(tier: "web"), "a").Object!;
        live = Apply(live, Deployment(tier: "web"), "b").Object!;

        var result = Apply(live, Deployment(), "a", at: T1);

        Assert.Equal("web", (string?)result.Object!["metadata"]!["labels"]!["tier"]);
    }

    [Fact]
    public void Ssa_DifferentValue_ConflictsWithOtherApplier()
    {
        var live = Apply(null, Deployment(replicas: 2), "a").Object!;

        var result = Apply(live, Deployment(replicas: 3), "b");

        Assert.True(result.HasConflicts);
        Assert.Null(result.Object);
        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal(".spec.replicas", conflict.Field);
        Assert.Equal("conflict with \"a\"", conflict.Message);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"a\": .spec.replicas", result.ConflictMessage);
    }

    [Fact]
    public void Ssa_Force_MovesOwnershipToApplier()
    {
        var live = Apply(null, Deployment(replicas: 2), "a").Object!;

        var result = Apply(live, Deployment(replicas: 3), "b", force: true, at: T1);

        var obj = result.Object!;
        Assert.Equal(3, (int)obj["spec"]!["replicas"]!);
        Assert.DoesNotContain("f:replicas", Entry(obj, "a")["fieldsV1"]!.ToJsonString(KubeJson.Options), StringComparison.Ordinal);
        Assert.Contains("f:replicas", Entry(obj, "b")["fieldsV1"]!.ToJsonString(KubeJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void Ssa_SameValue_SharesOwnershipWithoutConflict()
    {
        var live = Apply(null, Deployment(), "a").Object!;

        var result = Apply(live, Deployment(), "b", at: T1);

        Assert.False(result.HasConflicts);
        Assert.Equal(Entry(result.Object!, "a")["fieldsV1"]!.ToJsonString(KubeJson.Options), Entry(result.Object!, "b")["fieldsV1"]!.ToJsonString(KubeJson.Options));
        Assert.Null(Entry(result.Object!, "b")["time"]);
    }

    [Fact]
    public void Ssa_ConflictWithUpdateManager_NamesItsApiVersion()
    {
        var created = FieldManager.Update(null, Deployment(replicas: 1), "kubectl-client-side-apply", typeof(V1Deployment), "apps/v1", T0);

        var result = Apply(created, Deployment(replicas: 3), "kubectl", at: T1);

        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal("conflict with \"kubectl-client-side-apply\" using apps/v1", conflict.Message);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas", result.ConflictMessage);
    }

    [Fact]
    public void Ssa_SeveralConflicts_ListsThemPerManager()
    {
        var live = Apply(null, Deployment(replicas: 2), "a").Object!;

        var result = Apply(live, Deployment(replicas: 3, image: "nginx:2"), "b");

        Assert.Equal(2, result.Conflicts.Count);
        Assert.Equal(
            "Apply failed with 2 conflicts: conflicts with \"a\":\n- .spec.replicas\n- .spec.template.spec.containers[name=\"nginx\"].image",
            result.ConflictMessage);
    }

    [Fact]
    public void Ssa_UntrackedLiveObject_IsOwnedByBeforeFirstApply()
    {
        var live = Deployment(replicas: 1);

        var conflicting = Apply(live, Deployment(replicas: 5), "kubectl");
        var forced = Apply(live, Deployment(replicas: 5), "kubectl", force: true);

        Assert.Equal("conflict with \"before-first-apply\" using apps/v1", Assert.Single(conflicting.Conflicts).Message);
        Assert.Equal(5, (int)forced.Object!["spec"]!["replicas"]!);
        Assert.Equal("Update", (string?)Entry(forced.Object!, "before-first-apply")["operation"]);
    }

    [Fact]
    public void Ssa_ConfigWithManagedFields_IsRejected()
    {
        var config = Deployment();
        config["metadata"]!["managedFields"] = new JsonArray(new JsonObject());

        var error = Assert.Throws<PatchException>(() => Apply(null, config, "kubectl"));

        Assert.Equal("metadata.managedFields must be nil", error.Message);
    }

    [Fact]
    public void Ssa_IgnoredStatus_IsNeitherOwnedNorConflicting()
    {
        var config = Deployment();
        config["status"] = JsonNode.Parse("""{"replicas":7}""");

        var result = FieldManager.Apply(null, config, "kubectl", false, typeof(V1Deployment), "apps/v1", T0, ignoredFields: ["status"]);

        Assert.DoesNotContain("f:status", Entry(result.Object!, "kubectl")["fieldsV1"]!.ToJsonString(KubeJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void Ssa_NewContainer_IsAddedAndOldOneRemovedWhenDropped()
    {
        var live = Apply(null, Deployment(), "kubectl").Object!;
        var config = Deployment();
        config["spec"]!["template"]!["spec"]!["containers"] = JsonNode.Parse("""[{"name":"redis","image":"redis"}]""");

        var result = Apply(live, config, "kubectl", at: T1);

        var containers = result.Object!["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["redis"], containers.Select(c => (string?)c!["name"]));
    }
}
