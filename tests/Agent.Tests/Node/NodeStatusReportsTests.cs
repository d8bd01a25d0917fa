using k8s.Models;
using KubeWeb.Agent.Node;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Agent.Tests.Node;

public sealed class NodeStatusReportsTests
{
    private static readonly TimeSpan Report = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private V1NodeStatus Status(string ready = "True", string cpu = "4") => new()
    {
        Capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) },
        Conditions = [new V1NodeCondition { Type = "Ready", Status = ready, LastHeartbeatTime = _time.GetUtcNow().UtcDateTime, LastTransitionTime = _time.GetUtcNow().UtcDateTime }],
    };

    [Fact]
    public void An_unchanged_status_is_sent_again_only_after_the_report_interval()
    {
        var reports = new NodeStatusReports(_time);
        var first = reports.Due(Status(), Report);
        Assert.NotNull(first);
        reports.Sent(first);

        // Heartbeat times move on every beat; they are not a change.
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(reports.Due(Status(), Report));
        _time.Advance(TimeSpan.FromSeconds(49));
        Assert.Null(reports.Due(Status(), Report));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(reports.Due(Status(), Report));
    }

    [Fact]
    public void A_change_goes_out_at_once()
    {
        var reports = new NodeStatusReports(_time);
        reports.Sent(reports.Due(Status(), Report)!);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.NotNull(reports.Due(Status(ready: "False"), Report));
        Assert.NotNull(reports.Due(Status(cpu: "8"), Report));
    }

    [Fact]
    public void A_status_not_yet_acknowledged_or_after_registration_goes_out_again()
    {
        var reports = new NodeStatusReports(_time);
        Assert.NotNull(reports.Due(Status(), Report));
        Assert.NotNull(reports.Due(Status(), Report));

        reports.Sent(reports.Due(Status(), Report)!);
        reports.Reset();
        Assert.NotNull(reports.Due(Status(), Report));
    }

    [Fact]
    public void What_is_sent_carries_no_condition_times_the_server_stamps_them()
    {
        var json = System.Text.Encoding.UTF8.GetString(new NodeStatusReports(_time).Due(Status(), Report)!);
        Assert.Contains("\"type\":\"Ready\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Time", json, StringComparison.Ordinal);
    }
}
