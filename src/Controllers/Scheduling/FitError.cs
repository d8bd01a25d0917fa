namespace KubeWeb.Controllers.Scheduling;

/// <summary>
/// Why a pod fits no node, with upstream's message (framework.FitError): the node count, the
/// per-reason node counts sorted as strings, and what preemption (the post-filter) concluded.
/// </summary>
internal sealed class FitError(int nodeCount, IReadOnlyDictionary<string, int> reasons, string? preFilterMessage = null,
    IReadOnlySet<string>? unresolvableNodes = null)
{
    public int NodeCount { get; } = nodeCount;

    /// <summary>Reason → number of nodes that reported it.</summary>
    public IReadOnlyDictionary<string, int> Reasons { get; } = reasons;

    /// <summary>True when a pre-filter rejected the pod everywhere: no node can be helped by preemption.</summary>
    public bool RejectedEverywhere => preFilterMessage is not null;

    /// <summary>Nodes whose failure removing pods cannot fix (upstream's UnschedulableAndUnresolvable).</summary>
    public IReadOnlySet<string> UnresolvableNodes { get; } = unresolvableNodes ?? new HashSet<string>();

    /// <summary>
    /// The preemption verdict after "preemption: " (empty when preemption nominated a node: then
    /// upstream's message has no preemption part). Null means every node is one where preemption
    /// does not help.
    /// </summary>
    public string? Preemption { get; set; }

    public string Message
    {
        get
        {
            if (NodeCount == 0)
            {
                return "no nodes available to schedule pods";
            }

            var message = $"0/{NodeCount} nodes are available:";
            if (preFilterMessage is not null)
            {
                message += $" {preFilterMessage}.";
            }
            else
            {
                var histogram = Reasons.Select(r => $"{r.Value} {r.Key}").Order(StringComparer.Ordinal).ToList();
                if (histogram.Count > 0)
                {
                    message += $" {string.Join(", ", histogram)}.";
                }
            }

            var preemption = Preemption ?? $"0/{NodeCount} nodes are available: {NodeCount} Preemption is not helpful for scheduling.";
            return preemption.Length == 0 ? message : message + " preemption: " + preemption;
        }
    }
}
