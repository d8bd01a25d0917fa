using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>NAME STATUS COMPLETIONS DURATION AGE, wide CONTAINERS IMAGES SELECTOR.</summary>
internal sealed class JobPrinter : TablePrinter<V1Job>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Status", "Status of the job."),
        Col.Text("Completions", "The number of pods which reached phase Succeeded."),
        Col.Text("Duration", "Time required to complete the job."),
        Col.Age(),
        Col.Containers(),
        Col.Images(),
        Col.Selector("A label query over pods that should match the pod count."),
    ];

    protected override object?[] Row(V1Job job, DateTimeOffset now)
    {
        var spec = job.Spec ?? new V1JobSpec();
        var status = job.Status ?? new V1JobStatus();
        var succeeded = status.Succeeded ?? 0;
        var completions = spec.Completions is { } c ? $"{succeeded}/{c}"
            : spec.Parallelism is > 1 ? $"{succeeded}/1 of {spec.Parallelism}"
            : $"{succeeded}/1";

        var duration = Cell.IsZero(status.StartTime) ? ""
            : Cell.IsZero(status.CompletionTime) ? Cell.Since(status.StartTime, now)
            : Duration.HumanDuration(Cell.Utc(status.CompletionTime!.Value) - Cell.Utc(status.StartTime!.Value));

        var (names, images) = Cell.Containers(spec.Template);
        return
        [
            Cell.Name(job),
            Status(job),
            completions,
            duration,
            Cell.Age(job, now),
            names,
            images,
            Cell.Selector(spec.Selector),
        ];
    }

    private static string Status(V1Job job)
    {
        var conditions = job.Status?.Conditions ?? [];
        bool Has(string type) => conditions.FirstOrDefault(c => c.Type == type)?.Status == "True";

        return Has("Complete") ? "Complete"
            : Has("Failed") ? "Failed"
            : job.Metadata?.DeletionTimestamp is not null ? "Terminating"
            : Has("Suspended") ? "Suspended"
            : Has("FailureTarget") ? "FailureTarget"
            : "Running";
    }
}

/// <summary>NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE, wide CONTAINERS IMAGES SELECTOR.</summary>
internal sealed class CronJobPrinter : TablePrinter<V1CronJob>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
        Col.Text("Timezone", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
        Col.Boolean("Suspend", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false."),
        Col.Integer("Active", "A list of pointers to currently running jobs."),
        Col.Text("Last Schedule", "Information when was the last time the job was successfully scheduled."),
        Col.Age(),
        Col.Containers(),
        Col.Images(),
        Col.Selector("A label query over pods that should match the pod count."),
    ];

    protected override object?[] Row(V1CronJob cj, DateTimeOffset now)
    {
        var spec = cj.Spec ?? new V1CronJobSpec();
        var jobSpec = spec.JobTemplate?.Spec;
        var (names, images) = Cell.Containers(jobSpec?.Template);
        return
        [
            Cell.Name(cj),
            spec.Schedule ?? "",
            spec.TimeZone ?? Cell.None,

            // kube-apiserver prints this boolean column as text.
            spec.Suspend switch { true => "True", false => "False", null => Cell.Unset },
            (long)(cj.Status?.Active?.Count ?? 0),
            cj.Status?.LastScheduleTime is { } last ? Cell.Since(last, now) : Cell.None,
            Cell.Age(cj, now),
            names,
            images,
            Cell.Selector(jobSpec?.Selector),
        ];
    }
}
