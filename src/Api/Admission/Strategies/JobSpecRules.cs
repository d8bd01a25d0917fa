using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>Job spec validation shared by Job and the job template of a CronJob.</summary>
internal static class JobSpecRules
{
    public static IEnumerable<FieldError> Validate(V1JobSpec spec, string path)
    {
        var errors = new List<FieldError>();
        errors.AddRange(Checks.NotNegative(spec.Parallelism, path + ".parallelism"));
        errors.AddRange(Checks.NotNegative(spec.Completions, path + ".completions"));
        errors.AddRange(Checks.NotNegative(spec.ActiveDeadlineSeconds, path + ".activeDeadlineSeconds"));
        errors.AddRange(Checks.NotNegative(spec.BackoffLimit, path + ".backoffLimit"));
        errors.AddRange(Checks.NotNegative(spec.TtlSecondsAfterFinished, path + ".ttlSecondsAfterFinished"));
        if (spec.CompletionMode is { } mode && mode is not ("NonIndexed" or "Indexed"))
        {
            errors.Add(FieldError.NotSupported(path + ".completionMode", mode, ["NonIndexed", "Indexed"]));
        }

        if (spec.CompletionMode == "Indexed" && spec.Completions is null)
        {
            errors.Add(FieldError.Required(path + ".completions", "when completion mode is Indexed"));
        }

        if (spec.BackoffLimitPerIndex is not null && spec.CompletionMode != "Indexed")
        {
            errors.Add(FieldError.Forbidden(path + ".backoffLimitPerIndex", "requires indexed completion mode"));
        }

        errors.AddRange(PodTemplateRules.Validate(spec.Template, path + ".template"));
        if (spec.Template?.Spec is { } pod && pod.RestartPolicy is not ("OnFailure" or "Never"))
        {
            errors.Add(FieldError.NotSupported(path + ".template.spec.restartPolicy", pod.RestartPolicy ?? "", ["OnFailure", "Never"]));
        }

        return errors;
    }
}
