using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Admission;

/// <summary>Finds the strategy of a storage resource; kinds without their own get the base behaviour.</summary>
public sealed class StrategyRegistry
{
    private readonly Dictionary<string, IResourceStrategy> _strategies;

    public StrategyRegistry(ResourceRegistry resources, IEnumerable<IResourceStrategy> strategies)
    {
        _strategies = strategies.ToDictionary(s => s.StorageResource);
        foreach (var type in resources.All.Where(t => t.StorageOverride is null))
        {
            if (!_strategies.ContainsKey(type.StorageResource))
            {
                var generic = typeof(ResourceStrategy<>).MakeGenericType(type.ClrType);
                _strategies[type.StorageResource] = (IResourceStrategy)Activator.CreateInstance(generic, type.StorageResource)!;
            }
        }
    }

    public IResourceStrategy For(ResourceType type) => _strategies[type.StorageResource];
}
