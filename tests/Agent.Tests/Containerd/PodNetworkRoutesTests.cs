using KubeWeb.Agent.Runtime.Containerd;

namespace KubeWeb.Agent.Tests.Containerd;

public sealed class PodNetworkRoutesTests
{
    // /proc/net/route as the kernel prints it on x86: addresses in little-endian hex.
    private const string Routes =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
        "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n" +
        "kw38c6551c\t0000F40A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
        "kwmine\t0000F40A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
        "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
        "wide0\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n" +
        "narrow0\t8000F40A\t00000000\t0001\t0\t0\t0\t80FFFFFF\t0\t0\t0\n";

    [Fact]
    public void AnotherBridgeOnThePodCidr_OrAMoreSpecificRoute_IsFound_ButNotOurOwn_NorWiderRoutes()
    {
        // 10.0.0.0/8 and the default route lose to the bridge's /24; 10.244.0.128/25 would take half of it.
        Assert.Equal(["kw38c6551c", "narrow0"], PodNetworkRoutes.OtherInterfaces(Routes, "10.244.0.0/24", "kwmine"));
    }

    [Fact]
    public void ACidrNoRouteOverlaps_FindsNothing()
    {
        Assert.Empty(PodNetworkRoutes.OtherInterfaces(Routes, "172.30.0.0/24", "kwmine"));
        Assert.Empty(PodNetworkRoutes.OtherInterfaces(Routes, "not a cidr", "kwmine"));
    }
}
