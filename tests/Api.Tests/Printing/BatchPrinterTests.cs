using k8s.Models;
using KubeWeb.Api.Printing;
using static KubeWeb.Api.Tests.Printing.PrintFixture;

namespace KubeWeb.Api.Tests.Printing;

public class BatchPrinterTests
{
    private static V1Job Job(V1JobSpec spec, V1JobStatus status) =>
        new() { Metadata = Meta("pi", ageMinutes: 20), Spec = spec, Status = status };

    [Fact]
    public void RunningJob_ShowsCompletionsAndDurationSoFar()
    {
        var job = Job(
            new() { Completions = 3, Template = Template(("pi", "perl:5.34")), Selector = MatchLabels(("batch.kubernetes.io/controller-uid", "abc")) },
            new() { Succeeded = 1, StartTime = MinutesAgo(5) });

        Assert.Equal(
            ["pi", "Running", "1/3", "5m", "20m", "pi", "perl:5.34", "batch.kubernetes.io/controller-uid=abc"],
            new JobPrinter().Cells(job, Now));
    }

    [Fact]
    public void CompleteJob_ShowsWallTimeFromStartToCompletion()
    {
        var job = Job(
            new() { Template = Template() },
            new()
            {
                Succeeded = 1,
                StartTime = MinutesAgo(15),
                CompletionTime = MinutesAgo(15) + TimeSpan.FromSeconds(200),
                Conditions = [new() { Type = "Complete", Status = "True" }],
            });

        Assert.Equal(["pi", "Complete", "1/1", "3m20s"], new JobPrinter().Cells(job, Now).Take(4));
    }

    [Theory]
    [InlineData("Failed", "Failed")]
    [InlineData("Suspended", "Suspended")]
    [InlineData("FailureTarget", "FailureTarget")]
    public void JobConditions_NameTheStatus(string condition, string expected)
    {
        var job = Job(new() { Parallelism = 2, Template = Template() }, new() { Conditions = [new() { Type = condition, Status = "True" }] });

        var cells = new JobPrinter().Cells(job, Now);

        Assert.Equal(expected, cells[1]);
        Assert.Equal("0/1 of 2", cells[2]);
        Assert.Equal("", cells[3]);
    }

    [Fact]
    public void DeletedJob_IsTerminatingUnlessFinished()
    {
        var job = Job(new() { Template = Template() }, new());
        job.Metadata.DeletionTimestamp = MinutesAgo(1);

        Assert.Equal("Terminating", new JobPrinter().Cells(job, Now)[1]);
    }

    [Fact]
    public void CronJob()
    {
        var cj = new V1CronJob
        {
            Metadata = Meta("backup", ageMinutes: 60 * 24 * 3),
            Spec = new()
            {
                Schedule = "*/5 * * * *",
                Suspend = false,
                JobTemplate = new() { Spec = new() { Template = Template(("backup", "restic:0.17")) } },
            },
            Status = new() { Active = [new() { Name = "backup-123" }], LastScheduleTime = MinutesAgo(3) },
        };

        var printer = new CronJobPrinter();

        Assert.Equal(
            ["Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers", "Images", "Selector"],
            printer.Columns.Select(c => c.Name));
        Assert.Equal(
            ["backup", "*/5 * * * *", "<none>", "False", 1L, "3m", "3d", "backup", "restic:0.17", "<none>"],
            printer.Cells(cj, Now));
    }
}
