namespace KubeWeb.Api.Admission.Strategies;
public static class BuiltInStrategies { public static IEnumerable<IResourceStrategy> Create() => []; }
