using k8s;
using k8s.Models;
using KubeWeb.Api.Printing;
using KubeWeb.Core.Resources;
using static KubeWeb.Api.Tests.Printing.PrintFixture;

namespace KubeWeb.Api.Tests.Printing;

public class TablePrintersTests
{
    private readonly TablePrinters _printers = new();

    public static TheoryData<string> ServedResources() => [.. ResourceRegistry.Default.All.Select(t => t.ToString())];

    private static ResourceType Find(string id) => ResourceRegistry.Default.All.Single(t => t.ToString() == id);

    [Theory]
    [MemberData(nameof(ServedResources))]
    public void EveryServedKind_PrintsOneCellPerColumnForABareObject(string resource)
    {
        var type = Find(resource);
        var obj = (IKubernetesObject<V1ObjectMeta>)Activator.CreateInstance(type.ClrType)!;
        obj.Metadata = Meta("x");

        var printer = _printers.For(type);
        var cells = printer.Cells(obj, Now);

        Assert.Equal(printer.Columns.Count, cells.Count);
        Assert.All(cells, c => Assert.True(c is null or string or long or bool, $"unexpected cell type {c?.GetType()}"));
        Assert.Single(printer.Columns, c => c.Format == "name");
        Assert.All(printer.Columns, c => Assert.Contains(c.Priority, new[] { 0, 1 }));
    }

    [Theory]
    [MemberData(nameof(ServedResources))]
    public void NameIsTheFirstColumnExceptForEvents(string resource)
    {
        var type = Find(resource);
        var columns = _printers.For(type).Columns;

        var expected = type.Kind == "Event" ? "Last Seen" : "Name";
        Assert.Equal(expected, columns[0].Name);
    }

    [Theory]
    [InlineData("Role")]
    [InlineData("ClusterRole")]
    [InlineData("LimitRange")]
    public void KindsWithoutColumns_GetTheDefaultTable(string kind)
    {
        var type = ResourceRegistry.Default.All.First(t => t.Kind == kind);

        Assert.Same(TablePrinters.Default, _printers.For(type));
    }

    [Fact]
    public void EveryOtherServedKind_HasItsOwnPrinter()
    {
        string[] generic = ["Role", "ClusterRole", "LimitRange"];

        Assert.All(
            ResourceRegistry.Default.All.Where(t => !generic.Contains(t.Kind) && !t.IsVirtual),
            t => Assert.NotSame(TablePrinters.Default, _printers.For(t)));
    }

    [Fact]
    public void DefaultTable_PrintsNameAndCreationAsRfc3339()
    {
        var role = new V1Role { Metadata = Meta("reader") };

        Assert.Equal(["Name", "Created At"], TablePrinters.Default.Columns.Select(c => c.Name));
        Assert.Equal("date", TablePrinters.Default.Columns[1].Type);
        Assert.Equal(["reader", "2025-01-01T11:50:00Z"], TablePrinters.Default.Cells(role, Now));
        Assert.Equal(["r", "0001-01-01T00:00:00Z"], TablePrinters.Default.Cells(new V1Role { Metadata = new() { Name = "r" } }, Now));
    }

    [Fact]
    public void Age_IsUnknownWithoutCreationTimestamp()
    {
        var cm = new V1ConfigMap { Metadata = new() { Name = "cm" } };

        Assert.Equal("<unknown>", _printers.For(ResourceRegistry.Default.FindByKind("", "ConfigMap")!).Cells(cm, Now)[2]);
    }

    [Fact]
    public void PrinterGivenTheWrongKind_Throws()
    {
        var printer = _printers.For(ResourceRegistry.Default.FindByKind("", "Pod")!);

        Assert.Throws<ArgumentException>(() => printer.Cells(new V1ConfigMap { Metadata = Meta("x") }, Now));
    }
}
