using k8s.Models;
using KubeWeb.Api.Admission;
using KubeWeb.Api.Admission.Strategies;

namespace KubeWeb.Api.Tests.Admission;

public sealed class ObjectMetaValidatorTests
{
    private static readonly Func<string, string?> Subdomain = NameRules.Subdomain;

    [Fact]
    public void Create_WithoutNameOrGenerateName_IsRequired()
    {
        var errors = ObjectMetaValidator.ValidateCreate(new V1ObjectMeta { NamespaceProperty = "default" }, true, Subdomain);

        var error = Assert.Single(errors);
        Assert.Equal("metadata.name", error.Field);
        Assert.Equal("FieldValueRequired", error.Reason);
        Assert.Equal("Required value: name or generateName is required", error.Message);
    }

    [Fact]
    public void Create_GenerateNameEndingInDash_IsAccepted()
    {
        var errors = ObjectMetaValidator.ValidateCreate(new V1ObjectMeta { GenerateName = "web-", NamespaceProperty = "ns" }, true, Subdomain);

        Assert.Empty(errors);
    }

    [Fact]
    public void Create_InvalidName_ReportsRuleMessage()
    {
        var errors = ObjectMetaValidator.ValidateCreate(new V1ObjectMeta { Name = "Bad_Name", NamespaceProperty = "ns" }, true, Subdomain);

        var error = Assert.Single(errors);
        Assert.Equal("metadata.name", error.Field);
        Assert.StartsWith("Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", error.Message);
    }

    [Fact]
    public void Create_NamespaceRequiredOnlyForNamespacedKinds()
    {
        Assert.Equal("metadata.namespace", Assert.Single(ObjectMetaValidator.ValidateCreate(new V1ObjectMeta { Name = "a" }, true, Subdomain)).Field);
        var forbidden = Assert.Single(ObjectMetaValidator.ValidateCreate(new V1ObjectMeta { Name = "a", NamespaceProperty = "x" }, false, Subdomain));
        Assert.Equal("FieldValueForbidden", forbidden.Reason);
        Assert.Equal("Forbidden: not allowed on this type", forbidden.Message);
    }

    [Fact]
    public void Create_BadLabelsAnnotationsFinalizersAndOwners_AreReported()
    {
        var meta = new V1ObjectMeta
        {
            Name = "a",
            Labels = new Dictionary<string, string> { ["bad key!"] = "ok", ["app"] = "bad value!" },
            Annotations = new Dictionary<string, string> { ["big"] = new string('x', ObjectMetaValidator.TotalAnnotationSizeLimit) },
            Finalizers = ["not a finalizer"],
            OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "rs" }],
        };

        var errors = ObjectMetaValidator.ValidateCreate(meta, false, Subdomain).ToList();

        Assert.Equal(2, errors.Count(e => e.Field == "metadata.labels"));
        Assert.Equal("FieldValueTooLong", StrategyTestKit.Single(errors, "metadata.annotations").Reason);
        Assert.Contains(errors, e => e.Field == "metadata.finalizers");
        Assert.Equal("Invalid value: \"\": must not be empty", StrategyTestKit.Single(errors, "metadata.ownerReferences.uid").Message);
    }

    [Fact]
    public void Update_ChangingNameNamespaceOrUid_IsImmutable()
    {
        var old = new V1ObjectMeta { Name = "a", NamespaceProperty = "ns", Uid = "u1", CreationTimestamp = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
        var changed = new V1ObjectMeta { Name = "b", NamespaceProperty = "other", Uid = "u2", CreationTimestamp = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) };

        var errors = ObjectMetaValidator.ValidateUpdate(changed, old).ToList();

        foreach (var field in new[] { "metadata.name", "metadata.namespace", "metadata.uid", "metadata.creationTimestamp" })
        {
            Assert.EndsWith("field is immutable", StrategyTestKit.Single(errors, field).Message);
        }
    }

    [Fact]
    public void Update_AddingFinalizerWhileDeleting_IsForbidden()
    {
        var old = new V1ObjectMeta { Name = "a", DeletionTimestamp = DateTime.UtcNow, Finalizers = ["example.com/a"] };
        var changed = new V1ObjectMeta { Name = "a", Finalizers = ["example.com/a", "example.com/b"] };

        var error = Assert.Single(ObjectMetaValidator.ValidateUpdate(changed, old));

        Assert.Equal("FieldValueForbidden", error.Reason);
        Assert.Contains("example.com/b", error.Message);
    }
}
