using k8s;
using k8s.Models;
using KubeWeb.Api.Admission;

namespace KubeWeb.Api.Tests.Admission;

/// <summary>Drives a strategy the way the handler does: default, prepare, validate.</summary>
internal static class StrategyTestKit
{
    public static List<FieldError> Create(IResourceStrategy strategy, IKubernetesObject<V1ObjectMeta> obj)
    {
        strategy.Default(obj);
        strategy.PrepareForCreate(obj);
        return [.. strategy.ValidateCreate(obj)];
    }

    public static List<FieldError> Update(IResourceStrategy strategy, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        strategy.Default(obj);
        strategy.PrepareForUpdate(obj, old);
        return [.. strategy.ValidateUpdate(obj, old)];
    }

    public static T Copy<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));

    public static V1ObjectMeta Meta(string name = "x", string? ns = "default", string? uid = null) =>
        new() { Name = name, NamespaceProperty = ns, Uid = uid };

    public static V1PodSpec PodSpec(string image = "nginx") =>
        new() { Containers = [new V1Container { Name = "app", Image = image }] };

    public static V1PodTemplateSpec Template(Dictionary<string, string> labels, string restartPolicy = "Always") =>
        new()
        {
            Metadata = new V1ObjectMeta { Labels = labels },
            Spec = new V1PodSpec { RestartPolicy = restartPolicy, Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        };

    public static FieldError Single(IEnumerable<FieldError> errors, string field) =>
        Assert.Single(errors, e => e.Field == field);
}
