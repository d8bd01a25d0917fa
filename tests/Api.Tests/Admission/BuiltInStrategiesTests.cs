using KubeWeb.Api.Admission;
using KubeWeb.Api.Admission.Strategies;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Tests.Admission;

public sealed class BuiltInStrategiesTests
{
    [Fact]
    public void Create_CoversServedStorageResourcesWithMatchingModels()
    {
        var registry = ResourceRegistry.Default;
        var strategies = BuiltInStrategies.Create().ToList();

        Assert.Equal(strategies.Count, strategies.Select(s => s.StorageResource).Distinct().Count());
        foreach (var strategy in strategies)
        {
            var type = Assert.Single(registry.All, t => t.StorageResource == strategy.StorageResource && t.StorageOverride is null);
            var model = strategy.GetType().BaseType!.BaseType!.GetGenericArguments()[0];
            Assert.Equal(type.ClrType, model);
        }
    }

    [Fact]
    public void Create_EveryStrategyExposesItsNameRule()
    {
        foreach (var strategy in BuiltInStrategies.Create())
        {
            var rule = strategy.GetType().GetMethod("ValidateName")!;
            Assert.Null(rule.Invoke(strategy, ["abc"]));
            Assert.NotNull(rule.Invoke(strategy, ["a/b"]));
        }
    }

    [Fact]
    public void StrategyRegistry_AcceptsBuiltIns()
    {
        var registry = new StrategyRegistry(ResourceRegistry.Default, BuiltInStrategies.Create());
        var pods = ResourceRegistry.Default.Find("", "v1", "pods")!;

        Assert.IsType<PodStrategy>(registry.For(pods));
    }
}
