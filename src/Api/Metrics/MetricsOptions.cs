namespace KubeWeb.Api.Metrics;

/// <summary>How long the API keeps and serves the usage agents report.</summary>
public sealed record MetricsOptions
{
    /// <summary>The history kept per node and pod for the console's charts.</summary>
    public TimeSpan HistoryWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Samples kept per node and pod (at the agents' 10 s interval, 15 minutes is 90).</summary>
    public int HistoryCapacity { get; init; } = 96;

    /// <summary>
    /// A node whose latest report is older than this has no current metrics (its agent is gone),
    /// as metrics-server drops nodes it failed to scrape.
    /// </summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(90);
}
