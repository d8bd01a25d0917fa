using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;

namespace KubeWeb.Controllers.Scheduling.Plugins;

/// <summary>
/// Filter: spec.nodeSelector and required node affinity. Score: the summed weights of the
/// preferred node affinity terms the node matches, scaled to 0..100.
/// </summary>
internal sealed class NodeAffinity : IFilterPlugin, IScorePlugin
{
    public const string Reason = "node(s) didn't match Pod's node affinity/selector";

    private static readonly FilterStatus Mismatch = new(Reason) { Unresolvable = true };

    public string Name => "NodeAffinity";

    public int Weight => 2;

    public FilterStatus? Filter(CycleState state, PodInfo pod, NodeInfo node) =>
        NodeSelectors.MatchesRequired(pod.Pod, node) ? null : Mismatch;

    public long Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        var preferred = pod.Pod.Spec?.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution;
        if (preferred is null)
        {
            return 0;
        }

        long sum = 0;
        foreach (var term in preferred)
        {
            if (term.Weight != 0 && NodeSelectors.Matches(term.Preference, node))
            {
                sum += term.Weight;
            }
        }

        return sum;
    }

    public void Normalize(CycleState state, Span<long> scores) => ScoreNormalizer.Default(scores, reverse: false);
}
