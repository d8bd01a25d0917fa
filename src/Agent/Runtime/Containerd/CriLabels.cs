namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// Labels and annotations on sandboxes and containers: the kubelet's <c>io.kubernetes.*</c> names
/// (so crictl output reads as usual) plus KubeWeb's own, from which the agent rebuilds its view of
/// every pod after a restart.
/// </summary>
internal static class CriLabels
{
    public const string Managed = "kubeweb.io/managed";
    public const string PodUid = "io.kubernetes.pod.uid";
    public const string PodName = "io.kubernetes.pod.name";
    public const string PodNamespace = "io.kubernetes.pod.namespace";
    public const string ContainerName = "io.kubernetes.container.name";
    public const string InitContainer = "kubeweb.io/init-container";

    public const string Image = "kubeweb.io/image";
    public const string TerminationMessagePath = "io.kubernetes.container.terminationMessagePath";
    public const string TerminationMessagePolicy = "io.kubernetes.container.terminationMessagePolicy";
    public const string TerminationLogFile = "kubeweb.io/termination-log";
    public const string RestartCount = "io.kubernetes.container.restartCount";
}
