using k8s.Models;
using KubeWeb.Core.Selectors;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// The pod template part shared by Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and CronJob:
/// defaults, validation, and the selector-versus-template-labels rule.
/// </summary>
public static class PodTemplateRules
{
    public const string SelectorMismatch = "`selector` does not match template `labels`";

    public static void Default(V1PodTemplateSpec? template)
    {
        if (template is null)
        {
            return;
        }

        template.Spec ??= new V1PodSpec();
        PodSpecDefaults.Apply(template.Spec);
    }

    /// <summary>Template metadata (labels, annotations) and spec under <paramref name="path"/>.</summary>
    public static IEnumerable<FieldError> Validate(V1PodTemplateSpec? template, string path)
    {
        if (template is null)
        {
            return [FieldError.Required(path)];
        }

        return ObjectMetaValidator.ValidateLabels(template.Metadata?.Labels, path + ".metadata.labels")
            .Concat(ObjectMetaValidator.ValidateAnnotations(template.Metadata?.Annotations, path + ".metadata.annotations"))
            .Concat(PodSpecValidator.Validate(template.Spec, path + ".spec"))
            .ToList();
    }

    /// <summary>
    /// The selector must be present, well-formed, non-empty (when <paramref name="emptyMessage"/> is
    /// given) and must select the template's labels.
    /// </summary>
    public static IEnumerable<FieldError> ValidateSelector(
        V1LabelSelector? selector, V1PodTemplateSpec? template, string specPath, string? emptyMessage)
    {
        var errors = new List<FieldError>();
        var path = specPath + ".selector";
        if (selector is null)
        {
            errors.Add(FieldError.Required(path));
            return errors;
        }

        errors.AddRange(Checks.LabelSelector(selector, path));
        if (errors.Count > 0)
        {
            return errors;
        }

        if (emptyMessage is not null && (selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0) == 0)
        {
            errors.Add(FieldError.Invalid(path, Checks.Show(selector), emptyMessage));
        }

        if (template is not null && !LabelSelector.FromApi(selector).Matches(template.Metadata?.Labels))
        {
            errors.Add(FieldError.Invalid(specPath + ".template.metadata.labels", Checks.Show(template.Metadata?.Labels ?? new Dictionary<string, string>()), SelectorMismatch));
        }

        return errors;
    }

    /// <summary>Controllers that keep pods running need restartPolicy Always and no deadline.</summary>
    public static IEnumerable<FieldError> ValidateForLongRunning(V1PodTemplateSpec? template, string path, string kind)
    {
        if (template?.Spec is not { } spec)
        {
            yield break;
        }

        if (spec.RestartPolicy is not "Always")
        {
            yield return FieldError.NotSupported(path + ".spec.restartPolicy", spec.RestartPolicy ?? "", ["Always"]);
        }

        if (spec.ActiveDeadlineSeconds is not null)
        {
            yield return FieldError.Forbidden(path + ".spec.activeDeadlineSeconds", $"activeDeadlineSeconds in {kind} is not Supported");
        }
    }

    /// <summary>A rolling-update bound: a non-negative integer or a percentage such as "25%".</summary>
    public static IEnumerable<FieldError> ValidateIntOrPercent(IntOrString? value, string path, bool atMost100 = false)
    {
        if (value?.Value is not { } raw)
        {
            yield break;
        }

        if (int.TryParse(raw, out var number))
        {
            if (number < 0)
            {
                yield return FieldError.Invalid(path, number, Checks.NonNegative);
            }
        }
        else if (!raw.EndsWith('%') || !int.TryParse(raw[..^1], out var percent) || percent < 0 || raw[0] is '+' or '-')
        {
            yield return FieldError.Invalid(path, raw,
                "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
        }
        else if (atMost100 && percent > 100)
        {
            yield return FieldError.Invalid(path, raw, "must not be greater than 100%");
        }
    }

    /// <summary>Zero for "0" and "0%", anything else is non-zero.</summary>
    public static bool IsZero(IntOrString? value) => value?.Value is "0" or "0%" or null;
}
