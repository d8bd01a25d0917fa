using k8s.Models;
using KubeWeb.Api.Printing;
using static KubeWeb.Api.Tests.Printing.PrintFixture;

namespace KubeWeb.Api.Tests.Printing;

public class EventPrinterTests
{
    [Fact]
    public void Columns_StartWithLastSeenAndHideTheNameInWide()
    {
        Assert.Equal(
            ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"],
            new CoreEventPrinter().Columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 1, 1, 0, 1, 1, 1], new CoreEventPrinter().Columns.Select(c => c.Priority));
        Assert.Equal("name", new CoreEventPrinter().Columns[^1].Format);
        Assert.Same(new CoreEventPrinter().Columns, new EventsV1EventPrinter().Columns);
    }

    [Fact]
    public void CoreEvent_RepeatedBackOff()
    {
        var ev = new Corev1Event
        {
            Metadata = Meta("web-1.17f3a"),
            Type = "Warning",
            Reason = "BackOff",
            Message = "Back-off restarting failed container app\n",
            InvolvedObject = new() { Kind = "Pod", Name = "web-1", FieldPath = "spec.containers{app}" },
            Source = new() { Component = "kubelet", Host = "node-1" },
            FirstTimestamp = MinutesAgo(10),
            LastTimestamp = MinutesAgo(2),
            Count = 5,
        };

        Assert.Equal(
            ["2m", "Warning", "BackOff", "pod/web-1", "spec.containers{app}", "kubelet, node-1",
             "Back-off restarting failed container app", "10m", 5L, "web-1.17f3a"],
            new CoreEventPrinter().Cells(ev, Now));
    }

    [Fact]
    public void CoreEvent_WithOnlyEventTime_UsesItForBothTimesAndCountsOne()
    {
        var ev = new Corev1Event
        {
            Metadata = Meta("x"),
            Type = "Normal",
            Reason = "Scheduled",
            InvolvedObject = new() { Kind = "Node" },
            EventTime = Ago(TimeSpan.FromSeconds(30)),
            ReportingComponent = "default-scheduler",
        };

        Assert.Equal(["30s", "Normal", "Scheduled", "node", "", "default-scheduler", "", "30s", 1L, "x"], new CoreEventPrinter().Cells(ev, Now));
    }

    [Fact]
    public void EventsV1Event_MapsRegardingNoteAndSeries()
    {
        var ev = new Eventsv1Event
        {
            Metadata = Meta("web-1.abc"),
            Type = "Normal",
            Reason = "Pulled",
            Note = "Container image already present",
            Regarding = new() { Kind = "Pod", Name = "web-1" },
            EventTime = MinutesAgo(6),
            Series = new() { Count = 4, LastObservedTime = Ago(TimeSpan.FromSeconds(20)) },
            ReportingController = "kubelet",
            ReportingInstance = "node-2",
        };

        Assert.Equal(
            ["20s", "Normal", "Pulled", "pod/web-1", "", "kubelet, node-2", "Container image already present", "6m", 4L, "web-1.abc"],
            new EventsV1EventPrinter().Cells(ev, Now));
    }

    [Fact]
    public void EventWithoutAnyTime_IsUnknown()
    {
        var ev = new Corev1Event { Metadata = Meta("x"), InvolvedObject = new() { Kind = "Pod", Name = "p" } };

        Assert.Equal("<unknown>", new CoreEventPrinter().Cells(ev, Now)[0]);
    }
}
