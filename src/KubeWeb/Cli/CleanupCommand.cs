using System.CommandLine;
using System.Net.Sockets;
using KubeWeb.Agent.Runtime.Containerd;
using KubeWeb.Host.Hosting;

namespace KubeWeb.Host.Cli;

/// <summary>
/// <c>kubeweb cleanup</c>: removes from this host what a stopped server's local node left there
/// (a stopped server keeps its pods running and its network in place, as a stopped kubelet does, so
/// that the next start adopts them): the pods' processes, mounts under the data folder, the CNI
/// bridge with its routes, IP allocations, and the pods' cgroups. k3s ships the same as
/// <c>k3s-killall.sh</c>. The data folder itself, with the cluster's database, stays.
/// </summary>
internal static class CleanupCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string?>("--data-dir", "-d") { Description = "The stopped server's data folder (default ./data, or /var/lib/kubeweb)" };
        var cgroupRoot = new Option<string>("--cgroup-root")
        {
            Description = "The cgroup its pods ran under",
            DefaultValueFactory = _ => new LocalAgentSettings().CgroupRoot,
        };
        var command = new Command("cleanup",
            "Remove what a stopped server's local node left on this host: pod processes, mounts, its CNI bridge and routes, IP allocations and cgroups (the data folder stays)")
        {
            dataDir, cgroupRoot,
        };
        command.SetAction(async (parse, ct) =>
        {
            var data = Path.GetFullPath(parse.GetValue(dataDir) ?? ServerSettings.DefaultDataDir());
            var config = new ContainerdConfig(Path.Combine(data, "containerd"), ImageImporter.PauseImage);
            if (await AnswersAsync(config.SocketPath, ct))
            {
                await Console.Error.WriteLineAsync($"error: the containerd of {data} still answers on {config.SocketPath}: stop its server first");
                return 1;
            }

            await HostCleanup.RunAsync(config, parse.GetValue(cgroupRoot)!);
            Console.WriteLine($"Removed what {data} left on this host: pod processes, mounts, bridge {config.BridgeName}, IP allocations, cgroups under {parse.GetValue(cgroupRoot)}");
            return 0;
        });
        return command;
    }

    private static async Task<bool> AnswersAsync(string socketPath, CancellationToken ct)
    {
        if (!File.Exists(socketPath))
        {
            return false;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
