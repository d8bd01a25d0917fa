using k8s.Models;
using KubeWeb.Api.Printing;
using static KubeWeb.Api.Tests.Printing.PrintFixture;

namespace KubeWeb.Api.Tests.Printing;

public class CorePrinterTests
{
    [Fact]
    public void NodePortServiceWithSeveralPorts_ListsNodePortsAndWideSelector()
    {
        var svc = new V1Service
        {
            Metadata = Meta("web", ageMinutes: 200),
            Spec = new()
            {
                Type = "NodePort",
                ClusterIP = "10.96.12.7",
                ClusterIPs = ["10.96.12.7"],
                Selector = new Dictionary<string, string> { ["tier"] = "fe", ["app"] = "web" },
                Ports =
                [
                    new() { Port = 80, NodePort = 30080, Protocol = "TCP" },
                    new() { Port = 443, NodePort = 30443, Protocol = "TCP" },
                    new() { Port = 53, Protocol = "UDP" },
                ],
            },
        };

        var printer = new ServicePrinter();

        Assert.Equal(["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"], printer.Columns.Select(c => c.Name));
        Assert.Equal(
            ["web", "NodePort", "10.96.12.7", "<none>", "80:30080/TCP,443:30443/TCP,53/UDP", "3h20m", "app=web,tier=fe"],
            printer.Cells(svc, Now));
    }

    [Fact]
    public void LoadBalancerService_IsPendingUntilAnIngressPointIsAssigned()
    {
        var svc = new V1Service { Metadata = Meta("lb"), Spec = new() { Type = "LoadBalancer", Ports = [] } };
        var printer = new ServicePrinter();

        Assert.Equal(["lb", "LoadBalancer", "<none>", "<pending>", "<none>", "10m", "<none>"], printer.Cells(svc, Now));

        svc.Status = new() { LoadBalancer = new() { Ingress = [new() { Hostname = "lb.example.com" }, new() { Ip = "203.0.113.5" }] } };
        svc.Spec.ExternalIPs = ["198.51.100.1"];

        Assert.Equal("203.0.113.5,lb.example.com,198.51.100.1", printer.Cells(svc, Now)[3]);
    }

    [Fact]
    public void ExternalNameService_ShowsTheName()
    {
        var svc = new V1Service { Metadata = Meta("ext"), Spec = new() { Type = "ExternalName", ExternalName = "db.example.com" } };

        Assert.Equal("db.example.com", new ServicePrinter().Cells(svc, Now)[3]);
    }

    [Fact]
    public void Endpoints_ShowTheFirstThreeAddressPortPairs()
    {
        var ep = new V1Endpoints
        {
            Metadata = Meta("web"),
            Subsets =
            [
                new()
                {
                    Addresses = [new() { Ip = "10.0.0.1" }, new() { Ip = "fd00::2" }],
                    Ports = [new() { Port = 80 }, new() { Port = 443 }],
                },
            ],
        };

        Assert.Equal(["web", "10.0.0.1:80,[fd00::2]:80,10.0.0.1:443 + 1 more...", "10m"], new EndpointsPrinter().Cells(ep, Now));
        Assert.Equal("<none>", new EndpointsPrinter().Cells(new V1Endpoints { Metadata = Meta("e") }, Now)[1]);
    }

    [Fact]
    public void ConfigMapAndSecret_CountTheirKeys()
    {
        var cm = new V1ConfigMap
        {
            Metadata = Meta("cfg"),
            Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
            BinaryData = new Dictionary<string, byte[]> { ["c"] = [1] },
        };
        var secret = new V1Secret { Metadata = Meta("tls"), Type = "kubernetes.io/tls", Data = new Dictionary<string, byte[]> { ["tls.crt"] = [1], ["tls.key"] = [2] } };

        Assert.Equal(["cfg", 3L, "10m"], new ConfigMapPrinter().Cells(cm, Now));
        Assert.Equal(["tls", "kubernetes.io/tls", 2L, "10m"], new SecretPrinter().Cells(secret, Now));
        Assert.Equal(["Name", "Type", "Data", "Age"], new SecretPrinter().Columns.Select(c => c.Name));
    }

    [Fact]
    public void ServiceAccountAndNamespace()
    {
        var sa = new V1ServiceAccount { Metadata = Meta("default"), Secrets = [new() { Name = "token" }] };
        var ns = new V1Namespace { Metadata = Meta("dev", ns: null), Status = new() { Phase = "Active" } };

        Assert.Equal(["default", 1L, "10m"], new ServiceAccountPrinter().Cells(sa, Now));
        Assert.Equal(["dev", "Active", "10m"], new NamespacePrinter().Cells(ns, Now));
    }

    [Fact]
    public void ResourceQuota_SplitsLimitsFromRequests()
    {
        var quota = new V1ResourceQuota
        {
            Metadata = Meta("compute"),
            Status = new()
            {
                Hard = new Dictionary<string, ResourceQuantity>
                {
                    ["requests.cpu"] = new("1"), ["pods"] = new("10"), ["limits.memory"] = new("2Gi"), ["limits.cpu"] = new("2"),
                },
                Used = new Dictionary<string, ResourceQuantity>
                {
                    ["requests.cpu"] = new("500m"), ["pods"] = new("3"), ["limits.memory"] = new("1024Mi"),
                },
            },
        };

        Assert.Equal(
            ["compute", "pods: 3/10, requests.cpu: 500m/1", "limits.cpu: 0/2, limits.memory: 1Gi/2Gi", "10m"],
            new ResourceQuotaPrinter().Cells(quota, Now));
    }

    [Fact]
    public void CordonedNode_IsReadyAndSchedulingDisabledWithSortedRoles()
    {
        var node = new V1Node
        {
            Metadata = new()
            {
                Name = "node-1",
                CreationTimestamp = Ago(TimeSpan.FromDays(3) + TimeSpan.FromHours(5)),
                Labels = new Dictionary<string, string>
                {
                    ["node-role.kubernetes.io/worker"] = "",
                    ["node-role.kubernetes.io/control-plane"] = "",
                    ["kubernetes.io/role"] = "infra",
                    ["node-role.kubernetes.io/"] = "",
                },
            },
            Spec = new() { Unschedulable = true },
            Status = new()
            {
                Conditions = [new() { Type = "MemoryPressure", Status = "False" }, new() { Type = "Ready", Status = "True" }],
                Addresses = [new() { Type = "Hostname", Address = "node-1" }, new() { Type = "InternalIP", Address = "172.18.0.2" }],
                NodeInfo = new()
                {
                    KubeletVersion = "v1.32.5",
                    OsImage = "Debian GNU/Linux 12 (bookworm)",
                    KernelVersion = "6.8.0-45-generic",
                    ContainerRuntimeVersion = "containerd://1.7.24",
                },
            },
        };

        var printer = new NodePrinter();

        Assert.Equal(
            ["node-1", "Ready,SchedulingDisabled", "control-plane,infra,worker", "3d5h", "v1.32.5",
             "172.18.0.2", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.8.0-45-generic", "containerd://1.7.24"],
            printer.Cells(node, Now));
        Assert.Equal(5, printer.Columns.Count(c => c.Priority == 1));
    }

    [Fact]
    public void NodeWithoutReadyCondition_IsUnknown()
    {
        var node = new V1Node { Metadata = Meta("n", ns: null), Status = new() { Conditions = [new() { Type = "Ready", Status = "Unknown" }] } };

        Assert.Equal(["n", "NotReady", "<none>", "10m", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"], new NodePrinter().Cells(node, Now));
        Assert.Equal("Unknown", new NodePrinter().Cells(new V1Node { Metadata = Meta("m") }, Now)[1]);
    }
}
