namespace KubeWeb.Web.Logs;

/// <summary>The logs page's choices, as kubectl's flags: <c>-c</c> (or all containers), <c>-f</c>, <c>--previous</c>, <c>--tail</c>, <c>--timestamps</c>.</summary>
public sealed record LogOptions(string Container = "", bool Follow = true, bool Previous = false, int? TailLines = LogOptions.DefaultTail, bool Timestamps = false)
{
    public const string AllContainers = "*";
    public const int DefaultTail = 500;

    /// <summary>Timestamps are always requested (to resume streams); showing them is a display choice.</summary>
    public LogRequest ToRequest() => new(Follow && !Previous, Previous, TailLines, null);
}
