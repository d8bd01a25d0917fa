using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;

namespace KubeWeb.Controllers.Scheduling.Plugins;

/// <summary>
/// Filter: every NoSchedule and NoExecute taint must be tolerated. Score: fewer untolerated
/// PreferNoSchedule taints is better.
/// </summary>
internal sealed class TaintToleration : IFilterPlugin, IScorePlugin
{
    public string Name => "TaintToleration";

    public int Weight => 3;

    public FilterStatus? Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        foreach (var taint in node.Taints)
        {
            if (taint.Effect is "NoSchedule" or "NoExecute" && !Tolerations.AnyTolerates(pod.Tolerations, taint))
            {
                return new FilterStatus($"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}") { Unresolvable = true };
            }
        }

        return null;
    }

    public long Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        long count = 0;
        foreach (var taint in node.Taints)
        {
            if (taint.Effect != "PreferNoSchedule")
            {
                continue;
            }

            var tolerated = false;
            foreach (var t in pod.Tolerations)
            {
                if ((string.IsNullOrEmpty(t.Effect) || t.Effect == "PreferNoSchedule") && Tolerations.Tolerates(t, taint))
                {
                    tolerated = true;
                    break;
                }
            }

            if (!tolerated)
            {
                count++;
            }
        }

        return count;
    }

    public void Normalize(CycleState state, Span<long> scores) => ScoreNormalizer.Default(scores, reverse: true);
}
