using System.Runtime.CompilerServices;

namespace KubeWeb.Api.Agents;

/// <summary>
/// Pod versions that are only a node agent's own status report: <see cref="PodStatusWriter"/> marks
/// the object it writes, and <see cref="NodePodFeed"/> does not send that version back to the same
/// node. A kubelet ignores status-only changes of its pods on its watch (it holds the status it
/// reported); sending each report back would cost an encoding, a message, a decode and a sync pass
/// per report. Any other change (spec, metadata, a status written by anyone else, such as a
/// readiness gate's condition) is still sent.
/// </summary>
internal static class AgentStatusEchoes
{
    private static readonly ConditionalWeakTable<object, string> Writers = [];

    /// <summary>Marks <paramref name="pod"/> (the object about to be stored) as a status report by <paramref name="nodeName"/>'s agent.</summary>
    public static void Mark(object pod, string nodeName) => Writers.AddOrUpdate(pod, nodeName);

    public static bool IsEchoFor(object pod, string nodeName) => Writers.TryGetValue(pod, out var writer) && writer == nodeName;
}
