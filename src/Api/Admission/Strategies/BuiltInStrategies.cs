namespace KubeWeb.Api.Admission.Strategies;

/// <summary>Every strategy KubeWeb ships. Kinds not listed get the plain <see cref="ResourceStrategy{T}"/>.</summary>
public static class BuiltInStrategies
{
    public static IEnumerable<IResourceStrategy> Create() =>
    [
        new PodStrategy(),
        new ServiceStrategy(),
        new EndpointsStrategy(),
        new ConfigMapStrategy(),
        new SecretStrategy(),
        new ServiceAccountStrategy(),
        new NamespaceStrategy(),
        new NodeStrategy(),
        new EventStrategy(),
        new PersistentVolumeStrategy(),
        new PersistentVolumeClaimStrategy(),
        new ResourceQuotaStrategy(),
        new LimitRangeStrategy(),
        new DeploymentStrategy(),
        new ReplicaSetStrategy(),
        new StatefulSetStrategy(),
        new DaemonSetStrategy(),
        new JobStrategy(),
        new CronJobStrategy(),
        new HorizontalPodAutoscalerStrategy(),
        new LeaseStrategy(),
        new PodDisruptionBudgetStrategy(),
        new PriorityClassStrategy(),
        new EndpointSliceStrategy(),
        new IngressStrategy(),
        new RoleStrategy(),
        new ClusterRoleStrategy(),
        new RoleBindingStrategy(),
        new ClusterRoleBindingStrategy(),
    ];
}
