using k8s.Models;
using KubeWeb.Api.Printing;
using static KubeWeb.Api.Tests.Printing.PrintFixture;

namespace KubeWeb.Api.Tests.Printing;

public class NetworkingPrinterTests
{
    [Fact]
    public void Ingress_WithTlsAndManyHosts()
    {
        var ing = new V1Ingress
        {
            Metadata = Meta("site"),
            Spec = new()
            {
                IngressClassName = "nginx",
                Rules = [new() { Host = "a.example.com" }, new() { Host = "b.example.com" }, new(), new() { Host = "c.example.com" }, new() { Host = "d.example.com" }],
                Tls = [new() { Hosts = ["a.example.com"], SecretName = "tls" }],
            },
            Status = new() { LoadBalancer = new() { Ingress = [new() { Ip = "192.168.1.10" }, new() { Ip = "192.168.1.10" }] } },
        };

        Assert.Equal(
            ["site", "nginx", "a.example.com,b.example.com,c.example.com + 2 more...", "192.168.1.10", "80, 443", "10m"],
            new IngressPrinter().Cells(ing, Now));
    }

    [Fact]
    public void Ingress_WithoutHostsOrClass()
    {
        var ing = new V1Ingress { Metadata = Meta("any"), Spec = new() { Rules = [new()] } };

        Assert.Equal(["any", "<none>", "*", "", "80", "10m"], new IngressPrinter().Cells(ing, Now));
    }

    [Fact]
    public void IngressClass_ShowsParametersReference()
    {
        var ic = new V1IngressClass
        {
            Metadata = Meta("nginx", ns: null),
            Spec = new() { Controller = "k8s.io/ingress-nginx", Parameters = new() { ApiGroup = "k8s.example.com", Kind = "IngressParameters", Name = "external" } },
        };

        Assert.Equal(["nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external", "10m"], new IngressClassPrinter().Cells(ic, Now));
    }

    [Fact]
    public void EndpointSlice_ShowsFirstThreePortsAndAddresses()
    {
        var slice = new V1EndpointSlice
        {
            Metadata = Meta("web-abc12"),
            AddressType = "IPv4",
            Ports = [new() { Port = 80 }, new() { Name = "metrics" }, new()],
            Endpoints =
            [
                new() { Addresses = ["10.0.0.1", "10.0.0.2"] },
                new() { Addresses = ["10.0.0.3"] },
                new() { Addresses = ["10.0.0.4"] },
            ],
        };

        Assert.Equal(["web-abc12", "IPv4", "80,metrics,*", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "10m"], new EndpointSlicePrinter().Cells(slice, Now));
        Assert.Equal(["e", "IPv6", "<unset>", "<unset>", "10m"], new EndpointSlicePrinter().Cells(new V1EndpointSlice { Metadata = Meta("e"), AddressType = "IPv6" }, Now));
    }
}
