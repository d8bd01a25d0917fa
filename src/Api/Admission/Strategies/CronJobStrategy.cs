using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>batch/v1 CronJobs: defaults, schedule syntax, and a job template whose selector the Job will generate.</summary>
public sealed class CronJobStrategy : KubeStrategy<V1CronJob>
{
    /// <summary>Job names get an 11-character suffix and must stay a 63-character label value.</summary>
    public const int MaxNameLength = 52;

    public CronJobStrategy()
        : base("batch/cronjobs")
    {
    }

    public override string? ValidateName(string name) =>
        NameRules.Subdomain(name) ?? (name.Length > MaxNameLength ? $"must be no more than {MaxNameLength} characters" : null);

    protected override void Default(V1CronJob obj)
    {
        var spec = obj.Spec ??= new V1CronJobSpec();
        spec.ConcurrencyPolicy ??= "Allow";
        spec.Suspend ??= false;
        spec.SuccessfulJobsHistoryLimit ??= 3;
        spec.FailedJobsHistoryLimit ??= 1;
        spec.JobTemplate ??= new V1JobTemplateSpec();
        spec.JobTemplate.Spec ??= new V1JobSpec();
        PodTemplateRules.Default(spec.JobTemplate.Spec.Template);
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1CronJob obj)
    {
        var errors = new List<FieldError>();
        if (obj.Spec is not { } spec)
        {
            errors.Add(FieldError.Required("spec"));
            return errors;
        }

        if (string.IsNullOrEmpty(spec.Schedule))
        {
            errors.Add(FieldError.Required("spec.schedule"));
        }
        else if (spec.Schedule.Contains("TZ", StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid("spec.schedule", spec.Schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
        }
        else if (CronSchedule.Error(spec.Schedule) is { } scheduleError)
        {
            errors.Add(FieldError.Invalid("spec.schedule", spec.Schedule, scheduleError));
        }

        if (spec.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add(FieldError.Invalid("spec.timeZone", zone, $"unknown time zone {zone}"));
        }

        errors.AddRange(Checks.NotNegative(spec.StartingDeadlineSeconds, "spec.startingDeadlineSeconds"));
        errors.AddRange(Checks.OneOf(spec.ConcurrencyPolicy, "spec.concurrencyPolicy", "Allow", "Forbid", "Replace"));
        errors.AddRange(Checks.NotNegative(spec.SuccessfulJobsHistoryLimit, "spec.successfulJobsHistoryLimit"));
        errors.AddRange(Checks.NotNegative(spec.FailedJobsHistoryLimit, "spec.failedJobsHistoryLimit"));

        var template = spec.JobTemplate;
        errors.AddRange(ObjectMetaValidator.ValidateLabels(template?.Metadata?.Labels, "spec.jobTemplate.metadata.labels"));
        errors.AddRange(ObjectMetaValidator.ValidateAnnotations(template?.Metadata?.Annotations, "spec.jobTemplate.metadata.annotations"));
        if (template?.Spec is not { } jobSpec)
        {
            errors.Add(FieldError.Required("spec.jobTemplate.spec"));
            return errors;
        }

        errors.AddRange(JobSpecRules.Validate(jobSpec, "spec.jobTemplate.spec"));
        if (jobSpec.Selector is not null)
        {
            errors.Add(FieldError.Invalid("spec.jobTemplate.spec.selector", Checks.Show(jobSpec.Selector), "`selector` will be auto-generated"));
        }

        if (jobSpec.ManualSelector == true)
        {
            errors.Add(FieldError.NotSupported("spec.jobTemplate.spec.manualSelector", true, ["nil", "false"]));
        }

        return errors;
    }
}
