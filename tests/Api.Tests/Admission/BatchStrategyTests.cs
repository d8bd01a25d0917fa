using k8s.Models;
using KubeWeb.Api.Admission.Strategies;
using static KubeWeb.Api.Tests.Admission.StrategyTestKit;

namespace KubeWeb.Api.Tests.Admission;

public sealed class BatchStrategyTests
{
    private const string Uid = "6f1c2a4e-0000-4000-8000-000000000001";

    private static V1Job NewJob() => new()
    {
        Metadata = Meta("pi", uid: Uid),
        Spec = new V1JobSpec { Template = Template(new Dictionary<string, string> { ["app"] = "pi" }, restartPolicy: "Never") },
    };

    [Fact]
    public void Job_Create_GeneratesSelectorAndLabelsFromUid()
    {
        var job = NewJob();

        Assert.Empty(Create(new JobStrategy(), job));

        Assert.Equal(Uid, job.Spec.Selector.MatchLabels["batch.kubernetes.io/controller-uid"]);
        var labels = job.Spec.Template.Metadata.Labels;
        Assert.Equal(Uid, labels["controller-uid"]);
        Assert.Equal(Uid, labels["batch.kubernetes.io/controller-uid"]);
        Assert.Equal("pi", labels["job-name"]);
        Assert.Equal("pi", labels["batch.kubernetes.io/job-name"]);
        Assert.Equal("pi", job.Metadata.Labels["app"]);
    }

    [Fact]
    public void Job_Create_FillsDefaults()
    {
        var job = NewJob();

        Create(new JobStrategy(), job);

        Assert.Equal((1, 1, 6), (job.Spec.Completions, job.Spec.Parallelism, job.Spec.BackoffLimit));
        Assert.Equal("NonIndexed", job.Spec.CompletionMode);
        Assert.False(job.Spec.Suspend);
        Assert.Null(job.Spec.ManualSelector);
    }

    [Fact]
    public void Job_ParallelismOnly_LeavesCompletionsUnset()
    {
        var job = NewJob();
        job.Spec.Parallelism = 3;

        Create(new JobStrategy(), job);

        Assert.Null(job.Spec.Completions);
    }

    [Fact]
    public void Job_ManualSelectorNotMatchingTemplate_IsInvalid()
    {
        var job = NewJob();
        job.Spec.ManualSelector = true;
        job.Spec.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "other" } };

        var errors = Create(new JobStrategy(), job);

        Assert.EndsWith("`selector` does not match template `labels`", Single(errors, "spec.template.metadata.labels").Message);
        Assert.DoesNotContain("controller-uid", job.Spec.Template.Metadata.Labels.Keys);
    }

    [Fact]
    public void Job_RestartPolicyAlways_IsNotSupported()
    {
        var job = NewJob();
        job.Spec.Template.Spec.RestartPolicy = null;

        var error = Single(Create(new JobStrategy(), job), "spec.template.spec.restartPolicy");

        Assert.Equal("Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"", error.Message);
    }

    [Fact]
    public void Job_ChangingTemplate_IsImmutable()
    {
        var strategy = new JobStrategy();
        var old = NewJob();
        Create(strategy, old);
        var updated = Copy(old);
        updated.Spec.Template.Spec.Containers[0].Image = "perl:5";

        Assert.EndsWith("field is immutable", Single(Update(strategy, updated, old), "spec.template").Message);
    }

    [Fact]
    public void CronJob_FillsDefaultsAndAcceptsSchedule()
    {
        var cron = new V1CronJob
        {
            Metadata = Meta("nightly"),
            Spec = new V1CronJobSpec
            {
                Schedule = "*/5 0-6 * JAN,dec 1-5",
                JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = Template(new() { ["a"] = "b" }, "OnFailure") } },
            },
        };

        Assert.Empty(Create(new CronJobStrategy(), cron));

        Assert.Equal("Allow", cron.Spec.ConcurrencyPolicy);
        Assert.False(cron.Spec.Suspend);
        Assert.Equal((3, 1), (cron.Spec.SuccessfulJobsHistoryLimit, cron.Spec.FailedJobsHistoryLimit));
    }

    [Theory]
    [InlineData("* * * *", "expected exactly 5 fields, found 4")]
    [InlineData("61 * * * *", "end of range (61) above maximum (59)")]
    [InlineData("@fortnightly", "unrecognized descriptor")]
    [InlineData("a * * * *", "failed to parse int from a")]
    public void CronJob_BadSchedule_IsInvalid(string schedule, string expected)
    {
        var cron = new V1CronJob
        {
            Metadata = Meta("nightly"),
            Spec = new V1CronJobSpec { Schedule = schedule, JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = Template(new(), "Never") } } },
        };

        Assert.Contains(expected, Single(Create(new CronJobStrategy(), cron), "spec.schedule").Message);
    }

    [Theory]
    [InlineData("@every 1h30m")]
    [InlineData("@daily")]
    [InlineData("0 0 ? * SUN")]
    public void CronSchedule_AcceptsStandardForms(string schedule) => Assert.Null(CronSchedule.Error(schedule));

    [Fact]
    public void CronJob_NameLongerThan52_IsRejected() =>
        Assert.Equal("must be no more than 52 characters", new CronJobStrategy().ValidateName(new string('a', 53)));
}
