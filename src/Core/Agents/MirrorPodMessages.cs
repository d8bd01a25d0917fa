namespace KubeWeb.Core.Agents;

/// <summary>
/// Asks the server to make the mirror pod of one static pod exist (<see cref="AgentHubProtocol.SyncMirrorPod"/>).
/// <paramref name="Pod"/> is the mirror as a <c>v1 Pod</c> JSON, named <c>NAME-NODE</c>, with the
/// <c>kubernetes.io/config.mirror</c> annotation holding <paramref name="Hash"/> (the static pod's
/// uid). The server sets <c>spec.nodeName</c> and the owner reference to the Node itself.
/// </summary>
public sealed record MirrorPodRequest(string Namespace, string Name, string Hash, string Pod);

/// <summary>
/// The mirror pod that now exists: its API uid (statuses are reported under it) and whether this
/// call created it. <paramref name="Conflict"/> says a pod that is not this node's mirror holds the name.
/// No uid and no conflict: a mirror a user was deleting was removed; the agent asks again after a
/// pause (<c>StaticPodManager.MirrorRecreateDelay</c>) for the new one.
/// </summary>
public sealed record MirrorPodResult(string? Uid, bool Created, string? Conflict);

/// <summary>Deletes a static pod's mirror (its manifest was removed or replaced): only a mirror pod of the calling node.</summary>
public sealed record MirrorPodDelete(string Namespace, string Name);

/// <summary>The annotations kubelet puts on static and mirror pods.</summary>
public static class StaticPodAnnotations
{
    public const string Mirror = "kubernetes.io/config.mirror";
    public const string Hash = "kubernetes.io/config.hash";
    public const string Source = "kubernetes.io/config.source";
    public const string Seen = "kubernetes.io/config.seen";

    /// <summary>True for a mirror pod: the API's view of a static pod, never run from the API.</summary>
    public static bool IsMirror(IDictionary<string, string>? annotations) => annotations?.ContainsKey(Mirror) == true;
}
