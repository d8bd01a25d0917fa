namespace KubeWeb.Web.Hosting;

/// <summary>How the console reaches the API it serves beside, and where it keeps its cookie keys.</summary>
public sealed class ConsoleOptions
{
    /// <summary>Folder for the data-protection keys that encrypt the sign-in cookie (survives restarts).</summary>
    public string? DataDir { get; set; }

    /// <summary>PEM of the CA that signed the server's certificate; the console's loopback client trusts only it.</summary>
    public string? CaCertificatePem { get; set; }

    /// <summary>Base URL of the API; null means the loopback address of this server's own HTTPS listener.</summary>
    public Uri? ApiServerUrl { get; set; }
}
