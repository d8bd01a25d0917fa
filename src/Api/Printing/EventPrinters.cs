using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>
/// The columns and cells shared by core/v1 and events.k8s.io/v1 Events, which kube-apiserver prints from
/// one internal type: LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME.
/// Unlike every other kind, the name is not the first column.
/// </summary>
internal static class EventCells
{
    public static IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Text("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
        Col.Text("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
        Col.Text("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        Col.Text("Object", "The object that this event is about."),
        Col.Wide("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."),
        Col.Wide("Source", "The component reporting this event. Should be a short machine understandable string."),
        Col.Text("Message", "A human-readable description of the status of this operation."),
        Col.Wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
        Col.Wide("Count", "The number of times this event has occurred."),
        Col.Name(priority: 1),
    ];

    /// <summary>The fields of either Event version that the row is made from.</summary>
    public sealed record View(
        string Name,
        string? Type,
        string? Reason,
        V1ObjectReference? Regarding,
        string? Message,
        DateTime? FirstTimestamp,
        DateTime? LastTimestamp,
        DateTime? EventTime,
        int Count,
        bool HasSeries,
        DateTime? SeriesLastObserved,
        int SeriesCount,
        string? SourceComponent,
        string? SourceHost,
        string? ReportingController,
        string? ReportingInstance);

    public static object?[] Row(View e, DateTimeOffset now)
    {
        var first = Cell.IsZero(e.FirstTimestamp) ? Cell.Since(e.EventTime, now) : Cell.Since(e.FirstTimestamp, now);
        var last = Cell.IsZero(e.LastTimestamp) ? first : Cell.Since(e.LastTimestamp, now);
        long count = e.Count;
        if (e.HasSeries)
        {
            last = Cell.Since(e.SeriesLastObserved, now);
            count = e.SeriesCount;
        }
        else if (count == 0)
        {
            // Singleton events carry no count in the events.k8s.io API.
            count = 1;
        }

        var kind = (e.Regarding?.Kind ?? "").ToLowerInvariant();
        var target = string.IsNullOrEmpty(e.Regarding?.Name) ? kind : $"{kind}/{e.Regarding.Name}";
        return
        [
            last,
            e.Type ?? "",
            e.Reason ?? "",
            target,
            e.Regarding?.FieldPath ?? "",
            Source(FirstNonEmpty(e.SourceComponent, e.ReportingController), FirstNonEmpty(e.SourceHost, e.ReportingInstance)),
            (e.Message ?? "").Trim(),
            first,
            count,
            e.Name,
        ];
    }

    private static string FirstNonEmpty(string? a, string? b) => !string.IsNullOrEmpty(a) ? a : b ?? "";

    private static string Source(string component, string instance) =>
        instance.Length == 0 ? component : $"{component}, {instance}";
}

internal sealed class CoreEventPrinter : TablePrinter<Corev1Event>
{
    public override IReadOnlyList<TableColumn> Columns => EventCells.Columns;

    protected override object?[] Row(Corev1Event e, DateTimeOffset now) => EventCells.Row(
        new(
            Cell.Name(e), e.Type, e.Reason, e.InvolvedObject, e.Message,
            e.FirstTimestamp, e.LastTimestamp, e.EventTime, e.Count ?? 0,
            e.Series is not null, e.Series?.LastObservedTime, e.Series?.Count ?? 0,
            e.Source?.Component, e.Source?.Host, e.ReportingComponent, e.ReportingInstance),
        now);
}

/// <summary>events.k8s.io/v1 names the same fields differently (regarding, note, deprecated*).</summary>
internal sealed class EventsV1EventPrinter : TablePrinter<Eventsv1Event>
{
    public override IReadOnlyList<TableColumn> Columns => EventCells.Columns;

    protected override object?[] Row(Eventsv1Event e, DateTimeOffset now) => EventCells.Row(
        new(
            Cell.Name(e), e.Type, e.Reason, e.Regarding, e.Note,
            e.DeprecatedFirstTimestamp, e.DeprecatedLastTimestamp, e.EventTime, e.DeprecatedCount ?? 0,
            e.Series is not null, e.Series?.LastObservedTime, e.Series?.Count ?? 0,
            e.DeprecatedSource?.Component, e.DeprecatedSource?.Host, e.ReportingController, e.ReportingInstance),
        now);
}
