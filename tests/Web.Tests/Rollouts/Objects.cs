using k8s.Models;

namespace KubeWeb.Web.Tests.Rollouts;

/// <summary>Small builders for the objects rollout, map and drain logic read.</summary>
internal static class Objects
{
    public static V1PodTemplateSpec Template(string image, string? hash = null) => new()
    {
        Metadata = new V1ObjectMeta { Labels = hash is null ? new Dictionary<string, string> { ["app"] = "web" } : new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = hash } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
    };

    public static V1Deployment Deployment(string image, long revision, bool paused = false, string uid = "d-uid") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web", NamespaceProperty = "default", Uid = uid,
            Annotations = new Dictionary<string, string> { ["deployment.kubernetes.io/revision"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture), ["team"] = "a" },
        },
        Spec = new V1DeploymentSpec { Replicas = 2, Paused = paused, Selector = new V1LabelSelector(), Template = Template(image) },
        Status = new V1DeploymentStatus { Replicas = 2, UpdatedReplicas = 2, AvailableReplicas = 2, ReadyReplicas = 2 },
    };

    public static V1ReplicaSet ReplicaSet(string name, string image, long revision, string ownerUid = "d-uid", string? changeCause = null, int ready = 0)
    {
        var annotations = new Dictionary<string, string> { ["deployment.kubernetes.io/revision"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (changeCause is not null)
        {
            annotations["kubernetes.io/change-cause"] = changeCause;
        }

        return new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = name, NamespaceProperty = "default", Uid = name + "-uid", Annotations = annotations,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web", Uid = ownerUid, Controller = true }],
            },
            Spec = new V1ReplicaSetSpec { Replicas = ready, Selector = new V1LabelSelector(), Template = Template(image, name[(name.LastIndexOf('-') + 1)..]) },
            Status = new V1ReplicaSetStatus { Replicas = ready, ReadyReplicas = ready },
        };
    }

    public static V1Pod Pod(string name, string? ownerKind, string? ownerName, string phase = "Running", bool ready = true, string node = "node-1",
        Dictionary<string, string>? labels = null)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name + "-uid", Labels = labels ?? new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "x" }] },
            Status = new V1PodStatus { Phase = phase, Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
        };
        if (ownerKind is not null)
        {
            pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = ownerKind, Name = ownerName!, Uid = ownerName + "-uid", Controller = true }];
        }

        return pod;
    }
}
