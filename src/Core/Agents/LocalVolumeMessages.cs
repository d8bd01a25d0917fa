namespace KubeWeb.Core.Agents;

/// <summary>A local-path volume of the node that is being deleted: the agent removes <paramref name="Path"/>.</summary>
public sealed record LocalVolume(string Name, string Path)
{
    /// <summary>The finalizer a local-path volume holds until its node has removed the folder.</summary>
    public const string CleanupFinalizer = "kubeweb.io/local-path-cleanup";
}
