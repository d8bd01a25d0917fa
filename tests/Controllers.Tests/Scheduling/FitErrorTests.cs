using KubeWeb.Controllers.Scheduling;

namespace KubeWeb.Controllers.Tests.Scheduling;

public sealed class FitErrorTests
{
    [Fact]
    public void Message_SortsReasonCountsAsStrings_AndAddsThePreemptionVerdict()
    {
        var error = new FitError(5, new Dictionary<string, int>
        {
            ["Insufficient memory"] = 2,
            ["node(s) were unschedulable"] = 1,
            ["Insufficient cpu"] = 2,
        });
        Assert.Equal(
            "0/5 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu, 2 Insufficient memory. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.",
            error.Message);
    }

    [Fact]
    public void Message_WithoutNodes_SaysSo() =>
        Assert.Equal("no nodes available to schedule pods", new FitError(0, new Dictionary<string, int>()).Message);
}
