using System.Text.Json.Nodes;
using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>apps/v1 StatefulSets: defaults, validation, and the short list of mutable spec fields.</summary>
public sealed class StatefulSetStrategy : KubeStrategy<V1StatefulSet>
{
    private const string UpdateForbidden =
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
        "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

    private static readonly string[] Mutable =
        ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds", "selector"];

    public StatefulSetStrategy()
        : base("apps/statefulsets")
    {
    }

    protected override void Default(V1StatefulSet obj)
    {
        var spec = obj.Spec ??= new V1StatefulSetSpec();
        spec.Replicas ??= 1;
        spec.PodManagementPolicy ??= "OrderedReady";
        spec.UpdateStrategy ??= new V1StatefulSetUpdateStrategy();
        spec.UpdateStrategy.Type ??= "RollingUpdate";
        if (spec.UpdateStrategy.Type == "RollingUpdate")
        {
            spec.UpdateStrategy.RollingUpdate ??= new V1RollingUpdateStatefulSetStrategy();
            spec.UpdateStrategy.RollingUpdate.Partition ??= 0;
        }

        spec.PersistentVolumeClaimRetentionPolicy ??= new V1StatefulSetPersistentVolumeClaimRetentionPolicy();
        spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted ??= "Retain";
        spec.PersistentVolumeClaimRetentionPolicy.WhenScaled ??= "Retain";
        spec.RevisionHistoryLimit ??= 10;
        PodTemplateRules.Default(spec.Template);
        foreach (var claim in spec.VolumeClaimTemplates ?? [])
        {
            claim.Spec ??= new V1PersistentVolumeClaimSpec();
            claim.Spec.VolumeMode ??= "Filesystem";
        }
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1StatefulSet obj)
    {
        var errors = new List<FieldError>();
        if (obj.Spec is not { } spec)
        {
            errors.Add(FieldError.Required("spec"));
            return errors;
        }

        errors.AddRange(Checks.NotNegative(spec.Replicas, "spec.replicas"));
        errors.AddRange(Checks.NotNegative(spec.MinReadySeconds, "spec.minReadySeconds"));
        errors.AddRange(Checks.NotNegative(spec.RevisionHistoryLimit, "spec.revisionHistoryLimit"));
        errors.AddRange(Checks.OneOf(spec.PodManagementPolicy, "spec.podManagementPolicy", "OrderedReady", "Parallel"));
        errors.AddRange(PodTemplateRules.ValidateSelector(spec.Selector, spec.Template, "spec", "empty selector is invalid for statefulset"));
        errors.AddRange(PodTemplateRules.Validate(spec.Template, "spec.template"));
        errors.AddRange(PodTemplateRules.ValidateForLongRunning(spec.Template, "spec.template", "StatefulSet"));
        if (!string.IsNullOrEmpty(spec.ServiceName) && NameRules.Dns1035(spec.ServiceName) is { } serviceError)
        {
            errors.Add(FieldError.Invalid("spec.serviceName", spec.ServiceName, serviceError));
        }

        switch (spec.UpdateStrategy?.Type)
        {
            case "OnDelete" when spec.UpdateStrategy.RollingUpdate is not null:
                errors.Add(FieldError.Invalid("spec.updateStrategy.rollingUpdate", "", "only allowed for updateStrategy 'RollingUpdate'"));
                break;
            case "RollingUpdate":
                errors.AddRange(Checks.NotNegative(spec.UpdateStrategy.RollingUpdate?.Partition, "spec.updateStrategy.rollingUpdate.partition"));
                break;
            case "OnDelete":
                break;
            default:
                errors.Add(FieldError.NotSupported("spec.updateStrategy", spec.UpdateStrategy?.Type ?? "", ["OnDelete", "RollingUpdate"]));
                break;
        }

        var retention = spec.PersistentVolumeClaimRetentionPolicy;
        errors.AddRange(Checks.OneOf(retention?.WhenDeleted, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Retain", "Delete"));
        errors.AddRange(Checks.OneOf(retention?.WhenScaled, "spec.persistentVolumeClaimRetentionPolicy.whenScaled", "Retain", "Delete"));
        return errors;
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1StatefulSet obj, V1StatefulSet old)
    {
        var errors = ValidateCreate(obj).ToList();
        errors.AddRange(Checks.ImmutableField(obj.Spec?.Selector, old.Spec?.Selector, "spec.selector"));
        if (Checks.Normalize(obj.Spec) is JsonObject a && Checks.Normalize(old.Spec) is JsonObject b)
        {
            foreach (var key in Mutable)
            {
                a.Remove(key);
                b.Remove(key);
            }

            if (!JsonNode.DeepEquals(a, b))
            {
                errors.Add(FieldError.Forbidden("spec", UpdateForbidden));
            }
        }

        return errors;
    }
}
