using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeWeb.Host.Pki;

/// <summary>
/// The cluster CA and the API server's serving certificate, generated into the data dir at first
/// start and reused afterwards. The serving certificate is re-issued when its names change (a new
/// <c>--tls-san</c>) or it nears expiry; the CA stays, so kubeconfigs keep working.
/// </summary>
internal static class CertificateAuthority
{
    public static (X509Certificate2 Ca, X509Certificate2 Serving) LoadOrCreate(string dir, IReadOnlyCollection<string> extraNames)
    {
        Directory.CreateDirectory(dir);
        var caCert = Path.Combine(dir, "ca.crt");
        var caKey = Path.Combine(dir, "ca.key");
        X509Certificate2 ca;
        if (File.Exists(caCert) && File.Exists(caKey))
        {
            ca = X509Certificate2.CreateFromPemFile(caCert, caKey);
        }
        else
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=kubeweb-ca", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
            WritePem(caCert, ca.ExportCertificatePem());
            WritePem(caKey, key.ExportPkcs8PrivateKeyPem());
        }

        var names = new SortedSet<string>(StringComparer.Ordinal) { "localhost", "127.0.0.1", "::1", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", Dns.GetHostName() };
        foreach (var n in extraNames)
        {
            names.Add(n);
        }

        var servingCert = Path.Combine(dir, "serving.crt");
        var servingKey = Path.Combine(dir, "serving.key");
        var namesFile = Path.Combine(dir, "serving.names");
        var wanted = string.Join(",", names);
        if (File.Exists(servingCert) && File.Exists(servingKey) && File.Exists(namesFile) && File.ReadAllText(namesFile) == wanted)
        {
            var existing = X509Certificate2.CreateFromPemFile(servingCert, servingKey);
            if (existing.NotAfter > DateTime.UtcNow.AddDays(30))
            {
                return (ca, Exportable(existing));
            }
        }

        using var servingKeyPair = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=kube-apiserver", servingKeyPair, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var n in names)
        {
            if (IPAddress.TryParse(n, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(n);
            }
        }

        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = req.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1), serial);
        var serving = issued.CopyWithPrivateKey(servingKeyPair);
        WritePem(servingCert, serving.ExportCertificatePem());
        WritePem(servingKey, servingKeyPair.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(namesFile, wanted);
        return (ca, Exportable(serving));
    }

    /// <summary>Kestrel on Linux needs a key it can use for TLS; a PKCS#12 round trip gives one.</summary>
    private static X509Certificate2 Exportable(X509Certificate2 cert) =>
        X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);

    private static void WritePem(string path, string pem)
    {
        File.WriteAllText(path, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, path.EndsWith(".key", StringComparison.Ordinal) ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
