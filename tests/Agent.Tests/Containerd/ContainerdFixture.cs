using System.Security.Cryptography;
using k8s.Models;
using KubeWeb.Agent.Pods;
using KubeWeb.Agent.Runtime;
using KubeWeb.Agent.Runtime.Containerd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeWeb.Agent.Tests.Containerd;

/// <summary>
/// A private containerd in a temp folder (never the machine's own), the local images imported,
/// and a <see cref="ContainerdRuntime"/> on it with its own cgroup root and pod CIDR. Disposal
/// removes every pod, stops containerd and undoes the host changes (shims, mounts, bridge,
/// cgroups, ip_forward). Needs root and the Debian packages .ci/run installs.
/// </summary>
public sealed class ContainerdFixture : IAsyncLifetime
{
    public const string PodCidr = "10.250.0.0/24";

    private ContainerdSupervisor? _containerd;
    private string? _ipForward;

    public string Dir { get; } = Directory.CreateTempSubdirectory("kwcd-").FullName;

    public string CgroupRoot { get; } = "/kwtest" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    public ContainerdConfig Config { get; private set; } = null!;

    public ContainerdRuntimeOptions Options { get; private set; } = null!;

    public ContainerdRuntime Runtime { get; private set; } = null!;

    public ILoggerFactory Loggers { get; } = NullLoggerFactory.Instance;

    public async Task InitializeAsync()
    {
        if (ContainerdSupervisor.MissingPrerequisites() is { } missing)
        {
            throw new InvalidOperationException("the containerd tests need root and: " + missing);
        }

        _ipForward = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim();
        var images = Path.Combine(Dir, "images");
        await ImageImporter.EnsureBuiltAsync(images, CancellationToken.None);
        Config = new ContainerdConfig(Path.Combine(Dir, "containerd"), ImageImporter.PauseImage);
        _containerd = await ContainerdSupervisor.StartAsync(Config, Loggers.CreateLogger("containerd"), CancellationToken.None);
        await ImageImporter.ImportMissingAsync(Config.SocketPath, images, CancellationToken.None);
        Options = new ContainerdRuntimeOptions
        {
            SocketPath = Config.SocketPath,
            DataDir = Path.Combine(Dir, "agent"),
            Managed = Config,
            CgroupRoot = CgroupRoot,
        };
        Runtime = await ConnectAsync();
        await Runtime.UpdatePodCidrAsync(PodCidr, CancellationToken.None);
    }

    /// <summary>A fresh runtime on the same containerd (an agent restart).</summary>
    public async Task<ContainerdRuntime> ConnectAsync() =>
        await ContainerdRuntime.ConnectAsync(Options, TimeProvider.System, Loggers, CancellationToken.None);

    public async Task RestartRuntimeAsync()
    {
        await Runtime.DisposeAsync();
        Runtime = await ConnectAsync();
        await Runtime.UpdatePodCidrAsync(PodCidr, CancellationToken.None);
    }

    /// <summary>Drives the runtime as a pod worker does (sync, then status) until <paramref name="done"/> holds.</summary>
    public async Task<V1PodStatus> RunUntilAsync(V1Pod pod, Func<V1PodStatus, bool> done, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var wake = new SemaphoreSlim(0);
        void OnChanged(string uid)
        {
            if (uid == pod.Metadata.Uid)
            {
                wake.Release();
            }
        }

        Runtime.PodChanged += OnChanged;
        V1PodStatus? status = null;
        try
        {
            while (true)
            {
                await Runtime.SyncPodAsync(pod, cts.Token);
                status = PodStatusBuilder.Build(pod, await Runtime.GetPodAsync(pod.Metadata.Uid, cts.Token), "127.0.0.1");
                if (done(status))
                {
                    return status;
                }

                await wake.WaitAsync(TimeSpan.FromMilliseconds(500), cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("pod did not reach the expected state; last status: " +
                (status is null ? "none" : System.Text.Encoding.UTF8.GetString(Core.Serialization.KubeJson.SerializeToUtf8(status))));
        }
        finally
        {
            Runtime.PodChanged -= OnChanged;
        }
    }

    public static V1Pod Pod(string name, V1PodSpec spec) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = Guid.NewGuid().ToString() },
        Spec = spec,
    };

    public static V1Container Busybox(string name, string script) => new()
    {
        Name = name,
        Image = ImageImporter.BusyboxImage,
        Command = ["sh", "-c", script],
        ImagePullPolicy = "IfNotPresent",
    };

    public async Task DisposeAsync()
    {
        try
        {
            if (Runtime is not null)
            {
                foreach (var pod in await Runtime.ListPodsAsync(CancellationToken.None))
                {
                    await Runtime.KillPodAsync(pod.Uid, TimeSpan.Zero, CancellationToken.None);
                    await Runtime.RemovePodAsync(pod.Uid, CancellationToken.None);
                }

                await Runtime.DisposeAsync();
            }
        }
        finally
        {
            if (_containerd is not null)
            {
                await _containerd.DisposeAsync();
                await HostCleanup.RunAsync(Config, CgroupRoot);
            }

            if (_ipForward is not null)
            {
                await File.WriteAllTextAsync("/proc/sys/net/ipv4/ip_forward", _ipForward + "\n");
            }

            if (Environment.GetEnvironmentVariable("KUBEWEB_TEST_KEEP") != "1")
            {
                try
                {
                    Directory.Delete(Dir, recursive: true);
                }
                catch (IOException)
                {
                    // A lazily unmounted folder may still be going away.
                }
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ContainerdCollection : ICollectionFixture<ContainerdFixture>
{
    public const string Name = "Containerd";
}
