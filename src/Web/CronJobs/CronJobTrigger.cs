using System.Text.Json.Nodes;

namespace KubeWeb.Web.CronJobs;

/// <summary>CronJob actions as kubectl performs them: suspend/resume and <c>kubectl create job --from=cronjob/NAME</c>.</summary>
public static class CronJobTrigger
{
    public const string InstantiateAnnotation = "cronjob.kubernetes.io/instantiate";

    public static JsonObject Suspend(bool suspend) => new() { ["spec"] = new JsonObject { ["suspend"] = suspend } };

    /// <summary>A name for a manual run: the CronJob's name (cut to leave room) and the time in seconds, base 36.</summary>
    public static string JobName(string cronJob, DateTimeOffset now)
    {
        var suffix = "-manual-" + Base36(now.ToUnixTimeSeconds());
        var prefix = cronJob.Length + suffix.Length > 63 ? cronJob[..(63 - suffix.Length)].TrimEnd('-', '.') : cronJob;
        return prefix + suffix;
    }

    /// <summary>
    /// The Job kubectl creates from a CronJob: the job template's labels and spec, its annotations
    /// plus <c>cronjob.kubernetes.io/instantiate: manual</c>, and a controller owner reference to the CronJob.
    /// </summary>
    public static JsonObject JobFrom(JsonObject cronJob, string jobName)
    {
        var template = cronJob["spec"]?["jobTemplate"] as JsonObject ?? [];
        var annotations = new JsonObject { [InstantiateAnnotation] = "manual" };
        if (template["metadata"]?["annotations"] is JsonObject templateAnnotations)
        {
            foreach (var (k, v) in templateAnnotations)
            {
                annotations[k] = v?.DeepClone();
            }
        }

        var metadata = new JsonObject
        {
            ["name"] = jobName,
            ["namespace"] = cronJob["metadata"]?["namespace"]?.DeepClone(),
            ["annotations"] = annotations,
            ["ownerReferences"] = new JsonArray
            {
                new JsonObject
                {
                    ["apiVersion"] = "batch/v1",
                    ["kind"] = "CronJob",
                    ["name"] = cronJob["metadata"]?["name"]?.DeepClone(),
                    ["uid"] = cronJob["metadata"]?["uid"]?.DeepClone(),
                    ["controller"] = true,
                },
            },
        };
        if (template["metadata"]?["labels"] is JsonObject labels)
        {
            metadata["labels"] = labels.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = metadata,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    private static string Base36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var chars = new Stack<char>();
        do
        {
            chars.Push(digits[(int)(value % 36)]);
            value /= 36;
        }
        while (value > 0);
        return new string([.. chars]);
    }
}
