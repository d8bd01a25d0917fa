using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using KubeWeb.Controllers.Hosting;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Hosting;

namespace KubeWeb.Host.Cli;

/// <summary><c>kubeweb controllers</c>: the controller manager and scheduler out of process, under leader election.</summary>
internal static class ControllersCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "URL of the KubeWeb API server", Required = true };
        var tokenFile = new Option<FileInfo>("--token-file") { Description = "File holding the bearer token", Required = true };
        var caFile = new Option<FileInfo?>("--certificate-authority") { Description = "CA certificate (PEM) of the API server; without it TLS is not verified" };
        var grace = new Option<int>("--node-monitor-grace-period") { Description = "Seconds a node's lease may go unrenewed before it is marked NotReady/Unknown", DefaultValueFactory = _ => 50 };
        var storagePath = new Option<string>("--default-local-storage-path")
        {
            Description = "Folder on each node for local-path volumes",
            DefaultValueFactory = _ => new ControllerManagerOptions().StorageRoot,
        };
        var podGcThreshold = new Option<int>("--terminated-pod-gc-threshold")
        {
            Description = "Terminated pods kept before the pod GC deletes the oldest (0 keeps all)",
            DefaultValueFactory = _ => new ControllerManagerOptions().TerminatedPodGcThreshold,
        };
        var command = new Command("controllers", "Run the controller manager and scheduler against a KubeWeb API server") { server, tokenFile, caFile, grace, podGcThreshold, storagePath };
        command.SetAction(async (parse, ct) =>
        {
            var token = (await File.ReadAllTextAsync(parse.GetValue(tokenFile)!.FullName, ct)).Trim();
            X509Certificate2? ca = null;
            if (parse.GetValue(caFile) is { } f)
            {
                ca = X509CertificateLoader.LoadCertificateFromFile(f.FullName);
            }
            else
            {
                await Console.Error.WriteLineAsync("warning: no --certificate-authority given; the API server's certificate is not verified");
            }

            var options = new ControllerManagerOptions
            {
                NodeMonitorGracePeriod = TimeSpan.FromSeconds(parse.GetValue(grace)),
                TerminatedPodGcThreshold = parse.GetValue(podGcThreshold),
                RootCaPem = ca?.ExportCertificatePem(),
                StorageRoot = Path.GetFullPath(parse.GetValue(storagePath)!),
            };
            try
            {
                using var host = await ControllerManagerHost.StartAsync(parse.GetValue(server)!, token, ca, options, ct: ct);
                await host.WaitForShutdownAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopped while still starting (waiting for the API, for example).
            }

            return 0;
        });
        return command;
    }
}
