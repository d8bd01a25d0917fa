namespace KubeWeb.Controllers.Scheduling;

/// <summary>
/// Why a pod fits no node, with upstream's message (framework.FitError): the node count, the
/// per-reason node counts sorted as strings, and the preemption post-filter's verdict. KubeWeb does
/// not preempt, so every node is reported as one where preemption does not help.
/// </summary>
internal sealed class FitError(int nodeCount, IReadOnlyDictionary<string, int> reasons, string? preFilterMessage = null)
{
    public int NodeCount { get; } = nodeCount;

    /// <summary>Reason → number of nodes that reported it.</summary>
    public IReadOnlyDictionary<string, int> Reasons { get; } = reasons;

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

            return message + $" preemption: 0/{NodeCount} nodes are available: {NodeCount} Preemption is not helpful for scheduling.";
        }
    }
}
