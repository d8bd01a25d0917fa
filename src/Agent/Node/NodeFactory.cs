using k8s.Models;

namespace KubeWeb.Agent.Node;

/// <summary>Builds the Node object and its status as the kubelet reports them.</summary>
internal static class NodeFactory
{
    public const string KubeletVersion = "v1.32.0";

    public static V1Node Build(NodeConfig config, string runtimeVersion, DateTime now)
    {
        var labels = new Dictionary<string, string>
        {
            ["beta.kubernetes.io/arch"] = config.Architecture,
            ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = config.Architecture,
            ["kubernetes.io/hostname"] = config.NodeName,
            ["kubernetes.io/os"] = "linux",
        };
        foreach (var (k, v) in config.Labels)
        {
            labels[k] = v;
        }

        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = config.NodeName,
                Labels = labels,
                Annotations = new Dictionary<string, string> { ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true" },
            },
            Spec = new V1NodeSpec
            {
                Taints = config.Taints.Count > 0 ? [.. config.Taints] : null,
                PodCIDR = config.PodCidr,
                PodCIDRs = config.PodCidr is { } cidr ? [cidr] : null,
            },
            Status = Status(config, runtimeVersion, now),
        };
    }

    public static V1NodeStatus Status(NodeConfig config, string runtimeVersion, DateTime now)
    {
        V1NodeCondition Condition(string type, string status, string reason, string message) => new()
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastHeartbeatTime = now,
            LastTransitionTime = now,
        };

        var capacity = config.Capacity.ToDictionary(kv => kv.Key, kv => new ResourceQuantity(kv.Value));
        return new V1NodeStatus
        {
            Capacity = capacity,
            Allocatable = (config.Allocatable ?? config.Capacity).ToDictionary(kv => kv.Key, kv => new ResourceQuantity(kv.Value)),
            Conditions =
            [
                Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            Addresses =
            [
                new V1NodeAddress { Type = "InternalIP", Address = config.NodeIp },
                new V1NodeAddress { Type = "Hostname", Address = config.NodeName },
            ],
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 10250 } },
            NodeInfo = new V1NodeSystemInfo
            {
                MachineID = config.MachineId,
                SystemUUID = config.MachineId,
                BootID = "",
                KernelVersion = config.KernelVersion,
                OsImage = config.OsImage,
                ContainerRuntimeVersion = runtimeVersion,
                KubeletVersion = KubeletVersion,
                KubeProxyVersion = KubeletVersion,
                OperatingSystem = "linux",
                Architecture = config.Architecture,
            },
        };
    }

    /// <summary>Parses <c>k=v,k2=v2</c> (<c>--node-labels</c>).</summary>
    public static Dictionary<string, string> ParseLabels(string? text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"invalid label \"{part}\": expected key=value");
            }

            labels[part[..eq]] = part[(eq + 1)..];
        }

        return labels;
    }

    /// <summary>Parses <c>key[=value]:Effect,...</c> (<c>--register-with-taints</c>).</summary>
    public static List<V1Taint> ParseTaints(string? text)
    {
        var taints = new List<V1Taint>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0)
            {
                throw new FormatException($"invalid taint \"{part}\": expected key=value:Effect");
            }

            var effect = part[(colon + 1)..];
            if (effect is not ("NoSchedule" or "PreferNoSchedule" or "NoExecute"))
            {
                throw new FormatException($"invalid taint effect \"{effect}\" in \"{part}\": expected NoSchedule, PreferNoSchedule or NoExecute");
            }

            var kv = part[..colon];
            var eq = kv.IndexOf('=', StringComparison.Ordinal);
            taints.Add(new V1Taint { Key = eq < 0 ? kv : kv[..eq], Value = eq < 0 ? null : kv[(eq + 1)..], Effect = effect });
        }

        return taints;
    }
}
