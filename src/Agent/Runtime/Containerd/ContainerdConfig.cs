using System.Security.Cryptography;
using System.Text;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// The files a private containerd needs under one folder: its TOML config (cgroupfs, own
/// root/state/socket, the local pause image, restricted oom_score_adj) and the CNI bridge
/// conflist for the node's pod CIDR. See docs/specs/cri-containerd.md for why each setting.
/// </summary>
public sealed class ContainerdConfig
{
    public ContainerdConfig(string dir, string sandboxImage, string cniBinDir = "/usr/lib/cni")
    {
        Dir = Path.GetFullPath(dir);
        SandboxImage = sandboxImage;
        CniBinDir = cniBinDir;
        // A bridge per containerd folder, so two KubeWeb nodes (or test fixtures) on one machine never share one.
        BridgeName = "kw" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Dir)))[..8].ToLowerInvariant();
    }

    public string Dir { get; }

    public string SandboxImage { get; }

    public string CniBinDir { get; }

    public string BridgeName { get; }

    public string ConfigPath => Path.Combine(Dir, "config.toml");

    public string SocketPath => Path.Combine(Dir, "containerd.sock");

    public string RootDir => Path.Combine(Dir, "root");

    public string StateDir => Path.Combine(Dir, "state");

    public string RuncRoot => Path.Combine(Dir, "runc");

    public string CniConfDir => Path.Combine(Dir, "cni", "net.d");

    public string CniIpamDir => Path.Combine(Dir, "cni", "ipam");

    public string LogPath => Path.Combine(Dir, "containerd.log");

    public string PidPath => Path.Combine(Dir, "containerd.pid");

    public string RenderToml() => $$"""
        version = 2
        root = "{{RootDir}}"
        state = "{{StateDir}}"
        [grpc]
          address = "{{SocketPath}}"
        [ttrpc]
          address = "{{SocketPath}}.ttrpc"
        [plugins]
          [plugins."io.containerd.grpc.v1.cri"]
            sandbox_image = "{{SandboxImage}}"
            stream_server_address = "127.0.0.1"
            stream_server_port = "0"
            netns_mounts_under_state_dir = true
            enable_selinux = false
            disable_apparmor = true
            restrict_oom_score_adj = true
            max_container_log_line_size = 16384
            [plugins."io.containerd.grpc.v1.cri".containerd]
              snapshotter = "overlayfs"
              default_runtime_name = "runc"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                runtime_type = "io.containerd.runc.v2"
                [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                  SystemdCgroup = false
                  Root = "{{RuncRoot}}"
            [plugins."io.containerd.grpc.v1.cri".cni]
              bin_dir = "{{CniBinDir}}"
              conf_dir = "{{CniConfDir}}"
              max_conf_num = 1
          [plugins."io.containerd.internal.v1.opt"]
            path = "{{Path.Combine(Dir, "opt")}}"
        """;

    /// <summary>
    /// The bridge network for <paramref name="podCidr"/>: pods on a local bridge with the first
    /// address as gateway, no masquerading (nothing leaves the machine), hostPort via portmap.
    /// </summary>
    public string RenderCniConflist(string podCidr) => $$"""
        {
          "cniVersion": "0.4.0",
          "name": "kubeweb",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "{{BridgeName}}",
              "isGateway": true,
              "ipMasq": false,
              "hairpinMode": true,
              "ipam": {
                "type": "host-local",
                "dataDir": "{{CniIpamDir}}",
                "ranges": [[{ "subnet": "{{podCidr}}" }]],
                "routes": [{ "dst": "0.0.0.0/0" }]
              }
            },
            { "type": "portmap", "capabilities": { "portMappings": true } },
            { "type": "loopback" }
          ]
        }
        """;

    /// <summary>Writes the conflist atomically (containerd watches the folder); false when it was already current.</summary>
    public bool WriteCniConflist(string podCidr)
    {
        Directory.CreateDirectory(CniConfDir);
        var path = Path.Combine(CniConfDir, "10-kubeweb.conflist");
        var text = RenderCniConflist(podCidr);
        if (File.Exists(path) && File.ReadAllText(path) == text)
        {
            return false;
        }

        // Written in place: containerd 1.6's conf syncer reloads on write events in the folder.
        File.WriteAllText(path, text);
        return true;
    }
}
