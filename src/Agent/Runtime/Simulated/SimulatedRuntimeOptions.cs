namespace KubeWeb.Agent.Runtime.Simulated;

/// <summary>How the simulated runtime pretends (the kwok idea: no containers, only status).</summary>
public sealed class SimulatedRuntimeOptions
{
    /// <summary>How long a pod stays Pending (containers "creating") before it runs.</summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Simulated containers take their whole grace period to stop, multiplied by this (tests use
    /// small factors so a 30 s grace period passes in a moment).
    /// </summary>
    public double TerminationScale { get; set; } = 1.0;

    /// <summary>Upper bound of a simulated stop, whatever the grace period.</summary>
    public TimeSpan MaxTerminationDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where containers' CRI-format logs go (<c>&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;restart&gt;.log</c>);
    /// default: a folder of this process under the temp directory.
    /// </summary>
    public string? LogDirectory { get; set; }

    /// <summary>A running container also logs a <c>tick N</c> line this often; null: only start and stop lines.</summary>
    public TimeSpan? LogInterval { get; set; }
}
