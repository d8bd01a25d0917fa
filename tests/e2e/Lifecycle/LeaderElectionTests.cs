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
        IHost? stopped = null;
        try
        {
            // Either may win the first election (the first one's head start means nothing on a busy
            // machine); exactly one leads, keeps leading, and the other takes over when it stops.
            string? leader = null;
            Assert.True(await LifecycleServer.EventuallyAsync(async () => (leader = await HolderAsync(client)) is "first" or "second"),
                $"one manager should lead (holder: {leader ?? "none"})");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(leader, await HolderAsync(client));

            var (stopping, other) = leader == "first" ? (first, "second") : (second, "first");
            await stopping.StopAsync();
            stopping.Dispose();
            stopped = stopping;
            Assert.True(await LifecycleServer.EventuallyAsync(async () => await HolderAsync(client) == other, TimeSpan.FromSeconds(20)),
                $"{other} should take the lease once {leader} stops renewing it");
        }
        finally
        {
            foreach (var manager in new[] { first, second }.Where(m => !ReferenceEquals(m, stopped)))
            {
                await manager.StopAsync();
                manager.Dispose();
            }

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
