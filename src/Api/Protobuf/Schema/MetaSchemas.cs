using static KubeWeb.Api.Protobuf.Schema.Fields;

namespace KubeWeb.Api.Protobuf.Schema;

/// <summary>k8s.io/apimachinery meta/v1 messages shared by every kind.</summary>
internal static class MetaSchemas
{
    public static void Register(SchemaSet s)
    {
        s.Message("ObjectMeta",
            Str(1, "name"),
            Str(2, "generateName"),
            Str(3, "namespace"),
            Str(4, "selfLink"),
            Str(5, "uid"),
            Str(6, "resourceVersion"),
            I64(7, "generation"),
            Time(8, "creationTimestamp"),
            Time(9, "deletionTimestamp"),
            I64(10, "deletionGracePeriodSeconds").Keep(),
            StrMap(11, "labels"),
            StrMap(12, "annotations"),
            List(13, "ownerReferences", "OwnerReference"),
            Strs(14, "finalizers"),
            List(17, "managedFields", "ManagedFieldsEntry"));

        s.Message("OwnerReference",
            Str(5, "apiVersion").Keep(),
            Str(1, "kind").Keep(),
            Str(3, "name").Keep(),
            Str(4, "uid").Keep(),
            Bool(6, "controller").Keep(),
            Bool(7, "blockOwnerDeletion").Keep());

        s.Message("ManagedFieldsEntry",
            Str(1, "manager"),
            Str(2, "operation"),
            Str(3, "apiVersion"),
            Time(4, "time"),
            Str(6, "fieldsType"),
            Raw(7, "fieldsV1"),
            Str(8, "subresource"));

        s.Message("LabelSelector",
            StrMap(1, "matchLabels"),
            List(2, "matchExpressions", "LabelSelectorRequirement"));

        s.Message("LabelSelectorRequirement",
            Str(1, "key").Keep(),
            Str(2, "operator").Keep(),
            Strs(3, "values"));

        s.Message("FieldSelectorRequirement",
            Str(1, "key").Keep(),
            Str(2, "operator").Keep(),
            Strs(3, "values"));

        s.Message("Condition",
            Str(1, "type").Keep(),
            Str(2, "status").Keep(),
            I64(3, "observedGeneration"),
            Time(4, "lastTransitionTime"),
            Str(5, "reason").Keep(),
            Str(6, "message").Keep());

        s.Message("LocalObjectReference", Str(1, "name"));

        s.Message("TypedLocalObjectReference",
            Str(1, "apiGroup").Keep(),
            Str(2, "kind").Keep(),
            Str(3, "name").Keep());

        s.Message("ObjectReference",
            Str(1, "kind"),
            Str(2, "namespace"),
            Str(3, "name"),
            Str(4, "uid"),
            Str(5, "apiVersion"),
            Str(6, "resourceVersion"),
            Str(7, "fieldPath"));
    }
}
