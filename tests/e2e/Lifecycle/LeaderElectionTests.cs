using k8s;
using KubeWeb.Controllers.Hosting;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.E2E.Lifecycle;

[Trait("Category", "E2E")]
public sealed class LeaderElectionTests
{
    [Fact]
    public async Task TwoControllerManagers_OneLeads_TheOtherTakesOverWhenItStops()
    {
        var dir = Directory.CreateTempSubdirectory("kw-leader-").FullName;
        var server = await ServerHost.StartAsync(new ServerSettings { DataDir = dir, HttpsPort = 0, DisableControllers = true },
            logging: l => l.SetMinimumLevel(LogLevel.Warning));
        var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir, "tls", "ca.crt"));
        var options = new ControllerManagerOptions
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        };
        var first = await ControllerManagerHost.StartAsync(server.Url, server.AdminToken, ca, options with { Identity = "first" }, l => l.SetMinimumLevel(LogLevel.Warning));
        await Task.Delay(500);
        var second = await ControllerManagerHost.StartAsync(server.Url, server.AdminToken, ca, options with { Identity = "second" }, l => l.SetMinimumLevel(LogLevel.Warning));
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
        try
        {
            Assert.True(await LifecycleServer.EventuallyAsync(async () => await HolderAsync(client) == "first"), "the first manager should lead");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal("first", await HolderAsync(client));

            await first.StopAsync();
            first.Dispose();
            Assert.True(await LifecycleServer.EventuallyAsync(async () => await HolderAsync(client) == "second", TimeSpan.FromSeconds(20)),
                "the second manager should take the lease once the first stops renewing it");
        }
        finally
        {
            await second.StopAsync();
            second.Dispose();
            await server.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string?> HolderAsync(Kubernetes client)
    {
        try
        {
            return (await client.CoordinationV1.ReadNamespacedLeaseAsync("kube-controller-manager", "kube-system")).Spec?.HolderIdentity;
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            return null;
        }
    }
}
