using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// Finds routes that would take this node's pod traffic elsewhere: an IPv4 route for the pod CIDR,
/// or a part of it, through an interface other than the node's own bridge (typically the bridge of another
/// KubeWeb data dir, left behind by a stopped server, as a kubelet leaves its cni0).
/// </summary>
public static class PodNetworkRoutes
{
    public const string ProcNetRoute = "/proc/net/route";

    /// <param name="procNetRoute">The text of /proc/net/route.</param>
    public static IReadOnlyList<string> OtherInterfaces(string procNetRoute, string cidr, string bridge)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork ||
            !int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix is < 1 or > 32)
        {
            return [];
        }

        var network = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        var mask = uint.MaxValue << (32 - prefix);
        var found = new List<string>();
        foreach (var line in procNetRoute.Split('\n').Skip(1))
        {
            var f = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8 || f[0] == bridge ||
                !uint.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rawDest) ||
                !uint.TryParse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rawMask))
            {
                continue;
            }

            // The kernel prints addresses in memory order: little-endian words on the machines KubeWeb runs on.
            var dest = BinaryPrimitives.ReverseEndianness(rawDest);
            var routeMask = BinaryPrimitives.ReverseEndianness(rawMask);
            if ((routeMask & mask) != mask)
            {
                continue; // a wider route (the default one too) loses to the bridge's own, more specific one
            }

            if ((dest & mask) == network && !found.Contains(f[0]))
            {
                found.Add(f[0]);
            }
        }

        return found;
    }
}
