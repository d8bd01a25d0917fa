using k8s.Models;

namespace KubeWeb.Api.Patching;

/// <summary>The table itself, transcribed from the struct tags and markers of k8s.io/api (v1.33).</summary>
public static partial class PatchMetadata
{
    private static readonly Dictionary<(Type, string), Tag> Tags = BuildTags();

    private static readonly HashSet<Type> AtomicStructs =
    [
        typeof(V1LabelSelector),
        typeof(V1LocalObjectReference),
        typeof(V1ObjectReference),
        typeof(V1TypedLocalObjectReference),
        typeof(V1SecretReference),
        typeof(V1NodeSelector),
        typeof(V1NodeSelectorTerm),
        typeof(V1TopologySelectorTerm),
        typeof(V1ConfigMapKeySelector),
        typeof(V1SecretKeySelector),
        typeof(V1ObjectFieldSelector),
        typeof(V1ResourceFieldSelector),
    ];

    /// <summary>Schema defaults of list-map keys: apply builds <c>k:{"containerPort":80,"protocol":"TCP"}</c>
    /// even when the configuration leaves the protocol out.</summary>
    private static readonly Dictionary<(Type, string), string> KeyDefaults = new()
    {
        [(typeof(V1ContainerPort), "protocol")] = "TCP",
        [(typeof(V1ServicePort), "protocol")] = "TCP",
    };

    /// <summary><c>patchStrategy:"merge" patchMergeKey:key</c> with <c>+listType=map</c> on the given keys
    /// (the merge key alone when none are given).</summary>
    private static Tag MergeMap(string mergeKey, params string[] listMapKeys) =>
        new(PatchStrategy.Merge, mergeKey, ListType.Map, listMapKeys.Length == 0 ? [mergeKey] : listMapKeys);

    private static Tag MergeRetainMap(string mergeKey) =>
        new(PatchStrategy.Merge | PatchStrategy.RetainKeys, mergeKey, ListType.Map, [mergeKey]);

    /// <summary>Merged by key in strategic merge patch but <c>+listType=atomic</c> for apply.</summary>
    private static Tag MergeAtomic(string mergeKey) => new(PatchStrategy.Merge, mergeKey, ListType.Atomic, []);

    /// <summary><c>+listType=map</c> without a patch strategy: patches replace, apply merges by key.</summary>
    private static Tag ApplyMap(params string[] keys) => new(PatchStrategy.None, null, ListType.Map, keys);

    private static Tag MergeSet() => new(PatchStrategy.Merge, null, ListType.Set, []);

    private static Tag AtomicMap() => new(PatchStrategy.None, null, ListType.Atomic, [], AtomicMap: true);

    private static Dictionary<(Type, string), Tag> BuildTags()
    {
        var tags = new Dictionary<(Type, string), Tag>
        {
            [(typeof(V1ObjectMeta), "ownerReferences")] = MergeMap("uid"),
            [(typeof(V1ObjectMeta), "finalizers")] = MergeSet(),

            [(typeof(V1PodSpec), "volumes")] = MergeRetainMap("name"),
            [(typeof(V1PodSpec), "initContainers")] = MergeMap("name"),
            [(typeof(V1PodSpec), "containers")] = MergeMap("name"),
            [(typeof(V1PodSpec), "ephemeralContainers")] = MergeMap("name"),
            [(typeof(V1PodSpec), "imagePullSecrets")] = MergeMap("name"),
            [(typeof(V1PodSpec), "hostAliases")] = MergeMap("ip"),
            [(typeof(V1PodSpec), "topologySpreadConstraints")] = MergeMap("topologyKey", "topologyKey", "whenUnsatisfiable"),
            [(typeof(V1PodSpec), "schedulingGates")] = MergeMap("name"),
            [(typeof(V1PodSpec), "resourceClaims")] = MergeRetainMap("name"),
            [(typeof(V1PodSpec), "nodeSelector")] = AtomicMap(),

            [(typeof(V1PodStatus), "podIPs")] = MergeMap("ip"),
            [(typeof(V1PodStatus), "hostIPs")] = MergeAtomic("ip"),
            [(typeof(V1PodStatus), "resourceClaimStatuses")] = MergeRetainMap("name"),
            [(typeof(V1ContainerStatus), "allocatedResourcesStatus")] = MergeMap("name"),
            [(typeof(V1ContainerStatus), "volumeMounts")] = MergeMap("mountPath"),
            [(typeof(V1ResourceRequirements), "claims")] = ApplyMap("name"),

            [(typeof(V1DeploymentSpec), "strategy")] = new(PatchStrategy.RetainKeys, null, ListType.Atomic, []),

            [(typeof(V1ServiceSpec), "ports")] = MergeMap("port", "port", "protocol"),
            [(typeof(V1ServiceSpec), "selector")] = AtomicMap(),
            [(typeof(V1ReplicationControllerSpec), "selector")] = AtomicMap(),
            [(typeof(V1ServiceAccount), "secrets")] = MergeMap("name"),

            [(typeof(V1NodeSpec), "podCIDRs")] = MergeSet(),
            [(typeof(V1NodeStatus), "addresses")] = MergeMap("type"),

            [(typeof(V1JobStatus), "conditions")] = MergeAtomic("type"),
            [(typeof(V1CertificateSigningRequestStatus), "conditions")] = ApplyMap("type"),
            [(typeof(V1CustomResourceDefinitionStatus), "conditions")] = ApplyMap("type"),
            [(typeof(V1ValidatingAdmissionPolicyStatus), "conditions")] = ApplyMap("type"),

            [(typeof(V1MutatingWebhookConfiguration), "webhooks")] = MergeMap("name"),
            [(typeof(V1ValidatingWebhookConfiguration), "webhooks")] = MergeMap("name"),
        };

        // Containers and ephemeral containers share their list fields (EphemeralContainerCommon).
        foreach (var container in new[] { typeof(V1Container), typeof(V1EphemeralContainer) })
        {
            tags[(container, "ports")] = MergeMap("containerPort", "containerPort", "protocol");
            tags[(container, "env")] = MergeMap("name");
            tags[(container, "volumeMounts")] = MergeMap("mountPath");
            tags[(container, "volumeDevices")] = MergeMap("devicePath");
        }

        // Spelled out for the common kinds; other *Status.conditions fall back to the same rule.
        var conditionOwners = new[]
        {
            typeof(V1PodStatus), typeof(V1NodeStatus), typeof(V1NamespaceStatus), typeof(V1ServiceStatus),
            typeof(V1PersistentVolumeClaimStatus), typeof(V1ReplicationControllerStatus), typeof(V1ComponentStatus),
            typeof(V1DeploymentStatus), typeof(V1StatefulSetStatus), typeof(V1DaemonSetStatus), typeof(V1ReplicaSetStatus),
            typeof(V2HorizontalPodAutoscalerStatus), typeof(V1PodDisruptionBudgetStatus), typeof(V1FlowSchemaStatus),
            typeof(V1PriorityLevelConfigurationStatus), typeof(V1APIServiceStatus), typeof(V1ServiceCIDRStatus),
        };
        foreach (var owner in conditionOwners)
        {
            tags[(owner, "conditions")] = MergeMap("type");
        }

        return tags;
    }
}
