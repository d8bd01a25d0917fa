using k8s.Models;
using KubeWeb.Core.Selectors;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// batch/v1 Jobs. Unless <c>spec.manualSelector</c> is true, the server owns the selector: it
/// selects <c>batch.kubernetes.io/controller-uid=&lt;uid&gt;</c>, and the template carries that
/// label, its legacy twin <c>controller-uid</c>, and the <c>job-name</c> pair. The handler must set
/// metadata.uid before <see cref="IResourceStrategy.Default"/> runs on create.
/// </summary>
public sealed class JobStrategy : KubeStrategy<V1Job>
{
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string LegacyControllerUidLabel = "controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string LegacyJobNameLabel = "job-name";

    public JobStrategy()
        : base("batch/jobs")
    {
    }

    protected override void Default(V1Job obj)
    {
        var spec = obj.Spec ??= new V1JobSpec();
        if (spec.Completions is null && spec.Parallelism is null)
        {
            spec.Completions = 1;
        }

        spec.Parallelism ??= 1;
        spec.BackoffLimit ??= spec.BackoffLimitPerIndex is null ? 6 : int.MaxValue;
        spec.CompletionMode ??= "NonIndexed";
        spec.Suspend ??= false;
        spec.PodReplacementPolicy ??= spec.PodFailurePolicy is null ? "TerminatingOrFailed" : "Failed";
        spec.Template ??= new V1PodTemplateSpec();
        PodTemplateRules.Default(spec.Template);

        // A Job without labels of its own takes the template's.
        if (obj.Metadata.Labels is not { Count: > 0 } && spec.Template.Metadata?.Labels is { Count: > 0 } templateLabels)
        {
            obj.Metadata.Labels = new Dictionary<string, string>(templateLabels);
        }

        GenerateSelector(obj);
    }

    protected override void PrepareForCreate(V1Job obj)
    {
        base.PrepareForCreate(obj);
        GenerateSelector(obj);
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1Job obj)
    {
        var errors = new List<FieldError>();
        if (obj.Spec is not { } spec)
        {
            errors.Add(FieldError.Required("spec"));
            return errors;
        }

        errors.AddRange(ValidateGeneratedSelector(obj));
        errors.AddRange(PodTemplateRules.ValidateSelector(spec.Selector, spec.Template, "spec", emptyMessage: null));
        errors.AddRange(JobSpecRules.Validate(spec, "spec"));
        return errors;
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1Job obj, V1Job old)
    {
        var errors = ValidateCreate(obj).ToList();
        errors.AddRange(Checks.ImmutableField(obj.Spec?.Selector, old.Spec?.Selector, "spec.selector"));
        errors.AddRange(Checks.ImmutableField(obj.Spec?.Template, old.Spec?.Template, "spec.template", "the template"));
        errors.AddRange(Checks.ImmutableField(obj.Spec?.CompletionMode, old.Spec?.CompletionMode, "spec.completionMode"));
        if (obj.Spec?.CompletionMode != "Indexed")
        {
            errors.AddRange(Checks.ImmutableField(obj.Spec?.Completions, old.Spec?.Completions, "spec.completions"));
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateStatusUpdate(V1Job obj, V1Job old) =>
        Checks.NotNegative(obj.Status?.Active, "status.active")
            .Concat(Checks.NotNegative(obj.Status?.Succeeded, "status.succeeded"))
            .Concat(Checks.NotNegative(obj.Status?.Failed, "status.failed"));

    protected override string? GetField(V1Job obj, string field) => field switch
    {
        "status.successful" => (obj.Status?.Succeeded ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>Adds the uid/name labels and the uid selector; labels the user already set are left for validation to judge.</summary>
    private static void GenerateSelector(V1Job job)
    {
        if (job.Spec is not { } spec || spec.ManualSelector == true || string.IsNullOrEmpty(job.Metadata.Uid))
        {
            return;
        }

        spec.Template ??= new V1PodTemplateSpec();
        spec.Template.Metadata ??= new V1ObjectMeta();
        var labels = spec.Template.Metadata.Labels ??= new Dictionary<string, string>();
        labels.TryAdd(LegacyJobNameLabel, job.Metadata.Name ?? "");
        labels.TryAdd(JobNameLabel, job.Metadata.Name ?? "");
        labels.TryAdd(LegacyControllerUidLabel, job.Metadata.Uid);
        labels.TryAdd(ControllerUidLabel, job.Metadata.Uid);
        spec.Selector ??= new V1LabelSelector();
        spec.Selector.MatchLabels ??= new Dictionary<string, string>();
        spec.Selector.MatchLabels.TryAdd(ControllerUidLabel, job.Metadata.Uid);
    }

    private static IEnumerable<FieldError> ValidateGeneratedSelector(V1Job job)
    {
        if (job.Spec is not { } spec || spec.ManualSelector == true || spec.Selector is null)
        {
            yield break;
        }

        var uid = job.Metadata.Uid ?? "";
        if (uid.Length == 0)
        {
            yield return FieldError.Required("metadata.uid");
        }

        var labels = spec.Template?.Metadata?.Labels;
        var expected = new Dictionary<string, string>
        {
            [ControllerUidLabel] = uid,
            [JobNameLabel] = job.Metadata.Name ?? "",
            [LegacyControllerUidLabel] = uid,
            [LegacyJobNameLabel] = job.Metadata.Name ?? "",
        };
        foreach (var key in new[] { ControllerUidLabel, JobNameLabel })
        {
            var path = Checks.Key("spec.template.metadata.labels", key);
            if (labels is null || !labels.TryGetValue(key, out var actual))
            {
                yield return FieldError.Required(path, $"must be '{expected[key]}'");
            }
            else if (actual != expected[key])
            {
                yield return FieldError.Invalid(path, actual, $"must be '{expected[key]}'");
            }
        }

        if (!LabelSelector.FromApi(spec.Selector).Matches(expected))
        {
            yield return FieldError.Invalid("spec.selector", Checks.Show(spec.Selector), "`selector` not auto-generated");
        }
    }
}
