using KubeWeb.Agent.Pods;
using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.StaticPods;

/// <summary>
/// Static pods report their status under their mirror pod's API uid (the kubelet's status manager
/// translates the same way). The latest report of each static pod is kept, so a mirror that is
/// created (or recreated after a user deleted it) gets the current status at once.
/// </summary>
internal sealed class MirrorStatusSink(IPodStatusSink inner) : IPodStatusSink
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodStatusReport> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _mirrors = new(StringComparer.Ordinal);

    public void Report(PodStatusReport report)
    {
        lock (_lock)
        {
            _latest[report.Uid] = report;
            if (_mirrors.TryGetValue(report.Uid, out var mirror))
            {
                inner.Report(report with { Uid = mirror });
            }
        }
    }

    public void Forget(string podUid)
    {
        lock (_lock)
        {
            _latest.Remove(podUid);
            if (_mirrors.Remove(podUid, out var mirror))
            {
                inner.Forget(mirror);
            }
        }
    }

    /// <summary>The mirror pod uid of a static pod, once its mirror exists.</summary>
    public string? MirrorUidFor(string staticUid)
    {
        lock (_lock)
        {
            return _mirrors.GetValueOrDefault(staticUid);
        }
    }

    /// <summary>The static pod a mirror pod uid stands for, or null.</summary>
    public string? StaticUidFor(string mirrorUid)
    {
        lock (_lock)
        {
            foreach (var (staticUid, mirror) in _mirrors)
            {
                if (mirror == mirrorUid)
                {
                    return staticUid;
                }
            }

            return null;
        }
    }

    /// <summary>The mirror of <paramref name="staticUid"/> is now <paramref name="mirrorUid"/>; a new one gets the latest status.</summary>
    public void SetMirror(string staticUid, string mirrorUid)
    {
        lock (_lock)
        {
            if (_mirrors.TryGetValue(staticUid, out var known) && known == mirrorUid)
            {
                return;
            }

            if (known is not null)
            {
                inner.Forget(known);
            }

            _mirrors[staticUid] = mirrorUid;
            if (_latest.TryGetValue(staticUid, out var report))
            {
                inner.Report(report with { Uid = mirrorUid });
            }
        }
    }
}
