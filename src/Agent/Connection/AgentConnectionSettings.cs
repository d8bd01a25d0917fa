using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace KubeWeb.Agent.Connection;

/// <summary>Where the agent dials and how it proves itself: the server URL, the node join token, the server's CA.</summary>
public sealed record AgentConnectionSettings
{
    public required Uri Server { get; init; }

    public required string Token { get; init; }

    /// <summary>The API server's CA; null accepts any certificate (the CLI warns).</summary>
    public X509Certificate2? CertificateAuthority { get; init; }

    /// <summary>Longest wait between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);

    internal bool ValidateServerCertificate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None || CertificateAuthority is null)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(CertificateAuthority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
