using System.Net;
using k8s.Models;
using KubeWeb.Api.Admission;
using KubeWeb.Api.Storage;

namespace KubeWeb.Api.Allocation;

/// <summary>
/// Hands out Service cluster IPs from the service CIDR and node ports from the node-port range, as
/// kube-apiserver's service REST storage does. What is in use is read from the store; addresses
/// handed out to writes still in flight are held in a reservation until the write settles.
/// </summary>
public sealed class ServiceAllocator(ObjectStore store, ApiServerOptions options)
{
    private readonly Lock _lock = new();
    private readonly HashSet<uint> _pendingIps = [];
    private readonly HashSet<int> _pendingPorts = [];
    private uint _nextOffset = 11; // .1 is the kubernetes Service, .10 the cluster DNS

    /// <summary>
    /// Fills in <c>clusterIP(s)</c> and missing node ports of <paramref name="svc"/>, or checks the
    /// requested ones. Returns field errors for conflicts; dispose the reservation after the write.
    /// </summary>
    public (IDisposable Reservation, List<FieldError> Errors) Allocate(V1Service svc)
    {
        var errors = new List<FieldError>();
        var spec = svc.Spec ??= new V1ServiceSpec();
        var (network, prefix) = ParseCidr(options.ServiceClusterIpRange);
        var size = prefix >= 32 ? 1u : (uint)(1L << (32 - prefix));
        var ips = new List<uint>();
        var ports = new List<int>();
        lock (_lock)
        {
            var (usedIps, usedPorts) = InUse(svc);
            if (spec.Type != "ExternalName")
            {
                if (spec.ClusterIP == "None")
                {
                    spec.ClusterIPs = ["None"];
                }
                else if (string.IsNullOrEmpty(spec.ClusterIP))
                {
                    for (uint i = 0; i < size - 2; i++)
                    {
                        var offset = 1 + ((_nextOffset - 1 + i) % (size - 2));
                        var candidate = network + offset;
                        if (!usedIps.Contains(candidate) && !_pendingIps.Contains(candidate) && offset != 10)
                        {
                            ips.Add(candidate);
                            _nextOffset = offset + 1;
                            spec.ClusterIP = ToIp(candidate);
                            spec.ClusterIPs = [spec.ClusterIP];
                            break;
                        }
                    }

                    if (string.IsNullOrEmpty(spec.ClusterIP))
                    {
                        errors.Add(FieldError.Invalid("spec.clusterIPs", null, "failed to allocate IP: range is full"));
                    }
                }
                else if (IPAddress.TryParse(spec.ClusterIP, out var requested) && requested.GetAddressBytes().Length == 4)
                {
                    var value = ToUInt(requested);
                    if (value < network || value >= network + size)
                    {
                        errors.Add(FieldError.Invalid("spec.clusterIPs", spec.ClusterIP, $"failed to allocate IP {spec.ClusterIP}: the provided IP ({spec.ClusterIP}) is not in the valid range. The range of valid IPs is {options.ServiceClusterIpRange}"));
                    }
                    else if (usedIps.Contains(value) || _pendingIps.Contains(value))
                    {
                        errors.Add(FieldError.Invalid("spec.clusterIPs", spec.ClusterIP, $"failed to allocate IP {spec.ClusterIP}: provided IP is already allocated"));
                    }
                    else
                    {
                        ips.Add(value);
                        spec.ClusterIPs = [spec.ClusterIP];
                    }
                }
            }

            if (spec.Type is "NodePort" or "LoadBalancer")
            {
                var (low, high) = options.ServiceNodePortRange;
                for (var i = 0; i < (spec.Ports?.Count ?? 0); i++)
                {
                    var port = spec.Ports![i];
                    if (port.NodePort is > 0 and var requested)
                    {
                        if (requested < low || requested > high)
                        {
                            errors.Add(FieldError.Invalid($"spec.ports[{i}].nodePort", requested, $"provided port is not in the valid range. The range of valid ports is {low}-{high}"));
                        }
                        else if (usedPorts.Contains(requested) || _pendingPorts.Contains(requested) || ports.Contains(requested))
                        {
                            errors.Add(FieldError.Invalid($"spec.ports[{i}].nodePort", requested, "provided port is already allocated"));
                        }
                        else
                        {
                            ports.Add(requested);
                        }

                        continue;
                    }

                    var start = low + Random.Shared.Next(high - low + 1);
                    for (var n = 0; n <= high - low; n++)
                    {
                        var candidate = low + ((start - low + n) % (high - low + 1));
                        if (!usedPorts.Contains(candidate) && !_pendingPorts.Contains(candidate) && !ports.Contains(candidate))
                        {
                            port.NodePort = candidate;
                            ports.Add(candidate);
                            break;
                        }
                    }
                }
            }

            if (errors.Count == 0)
            {
                _pendingIps.UnionWith(ips);
                _pendingPorts.UnionWith(ports);
            }
        }

        return (new Reservation(this, errors.Count == 0 ? ips : [], errors.Count == 0 ? ports : []), errors);
    }

    private (HashSet<uint> Ips, HashSet<int> Ports) InUse(V1Service self)
    {
        var ips = new HashSet<uint>();
        var ports = new HashSet<int>();
        foreach (var o in store.List("services", null).Items)
        {
            if (o.Namespace == (self.Metadata.NamespaceProperty ?? "") && o.Name == self.Metadata.Name)
            {
                continue;
            }

            var s = (V1Service)o.Object;
            foreach (var ip in s.Spec?.ClusterIPs ?? (s.Spec?.ClusterIP is { } one ? [one] : []))
            {
                if (IPAddress.TryParse(ip, out var a) && a.GetAddressBytes().Length == 4)
                {
                    ips.Add(ToUInt(a));
                }
            }

            foreach (var p in s.Spec?.Ports ?? [])
            {
                if (p.NodePort is > 0)
                {
                    ports.Add(p.NodePort.Value);
                }
            }
        }

        return (ips, ports);
    }

    private static (uint Network, int Prefix) ParseCidr(string cidr)
    {
        var parts = cidr.Split('/');
        var prefix = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (ToUInt(IPAddress.Parse(parts[0])) & mask, prefix);
    }

    private static uint ToUInt(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static string ToIp(uint v) => $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}";

    private sealed class Reservation(ServiceAllocator owner, List<uint> ips, List<int> ports) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._pendingIps.ExceptWith(ips);
                owner._pendingPorts.ExceptWith(ports);
            }
        }
    }
}
