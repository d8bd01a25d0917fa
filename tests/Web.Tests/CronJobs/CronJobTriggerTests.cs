using System.Text.Json.Nodes;
using KubeWeb.Web.CronJobs;

namespace KubeWeb.Web.Tests.CronJobs;

public sealed class CronJobTriggerTests
{
    [Fact]
    public void JobFrom_CopiesTheTemplate_AddsTheManualAnnotation_AndAControllerOwnerReference()
    {
        var cronJob = JsonNode.Parse("""
            {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"report","namespace":"ops","uid":"cj-1"},
             "spec":{"schedule":"0 * * * *","jobTemplate":{"metadata":{"labels":{"team":"ops"},"annotations":{"a":"b"}},
               "spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"r","image":"busybox"}]}}}}}}
            """)!.AsObject();

        var job = CronJobTrigger.JobFrom(cronJob, "report-manual-x");

        Assert.Equal("Job", (string?)job["kind"]);
        Assert.Equal("report-manual-x", (string?)job["metadata"]!["name"]);
        Assert.Equal("ops", (string?)job["metadata"]!["namespace"]);
        Assert.Equal("manual", (string?)job["metadata"]!["annotations"]![CronJobTrigger.InstantiateAnnotation]);
        Assert.Equal("b", (string?)job["metadata"]!["annotations"]!["a"]);
        Assert.Equal("ops", (string?)job["metadata"]!["labels"]!["team"]);
        var owner = job["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(("CronJob", "report", "cj-1", true), ((string?)owner["kind"], (string?)owner["name"], (string?)owner["uid"], (bool)owner["controller"]!));
        Assert.Equal("busybox", (string?)job["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public void JobName_FitsIn63Characters()
    {
        var name = CronJobTrigger.JobName(new string('a', 52), DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        Assert.True(name.Length <= 63);
        Assert.Contains("-manual-", name, StringComparison.Ordinal);
        Assert.Equal("""{"spec":{"suspend":true}}""", CronJobTrigger.Suspend(true).ToJsonString());
    }
}
