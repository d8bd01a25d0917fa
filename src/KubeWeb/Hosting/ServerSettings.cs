using System.Net;

namespace KubeWeb.Host.Hosting;

/// <summary>What <c>kubeweb server</c> was asked to do, after defaults are applied.</summary>
public sealed record ServerSettings
{
    public required string DataDir { get; init; }

    public int HttpsPort { get; init; } = 6443;

    /// <summary>Null means every address.</summary>
    public IPAddress? BindAddress { get; init; }

    public string? DatastoreEndpoint { get; init; }

    /// <summary>Where to write the admin kubeconfig; default DATA_DIR/kubeconfig.yaml.</summary>
    public string? KubeconfigPath { get; init; }

    public IReadOnlyList<string> TlsSans { get; init; } = [];

    public TimeSpan? CompactionRetention { get; init; }

    /// <summary>How long Events are kept after they were last recorded; null means one hour.</summary>
    public TimeSpan? EventTtl { get; init; }

    public long DefaultNotReadyTolerationSeconds { get; init; } = 300;

    public long DefaultUnreachableTolerationSeconds { get; init; } = 300;

    /// <summary>Where the local-path provisioner puts volumes on each node (<c>--default-local-storage-path</c>); null is DATA_DIR/storage.</summary>
    public string? DefaultLocalStoragePath { get; init; }

    /// <summary>
    /// The in-process controller manager and scheduler use loopback HTTPS like any other client
    /// instead of the server's Unix socket (DATA_DIR/run/api.sock).
    /// </summary>
    public bool DisableApiSocket { get; init; }

    /// <summary>Run the API alone, without the in-process controller manager and scheduler.</summary>
    public bool DisableControllers { get; init; }

    /// <summary>
    /// The node agent for this machine (containerd); null runs the control plane alone
    /// (<c>--disable-agent</c>, and what in-process test servers want).
    /// </summary>
    public LocalAgentSettings? LocalAgent { get; init; }

    /// <summary>Controller manager settings (node monitor grace period, lease timings).</summary>
    public Controllers.Hosting.ControllerManagerOptions Controllers { get; init; } = new();

    /// <summary>./data, or /var/lib/kubeweb when that folder has been set up.</summary>
    public static string DefaultDataDir() => Directory.Exists("/var/lib/kubeweb") ? "/var/lib/kubeweb" : Path.GetFullPath("data");

    public string KubeconfigFile => KubeconfigPath ?? Path.Combine(DataDir, "kubeconfig.yaml");
}
