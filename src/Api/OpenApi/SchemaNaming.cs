using System.Text.RegularExpressions;
using k8s.Models;
using KubeWeb.Api.Patching;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.OpenApi;

/// <summary>
/// The upstream definition names of the k8s.Models types (<c>io.k8s.api.core.v1.PodSpec</c>,
/// <c>io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta</c>). A model's class name carries its version
/// (<c>V1PodSpec</c>) and sometimes its group (<c>Eventsv1Event</c>) but nested types do not say their
/// group, so a type belongs to the group of the first served kind that reaches it, core kinds first.
/// kubectl explain shows the last segment of these names as the field's type.
/// </summary>
internal sealed partial class SchemaNaming
{
    public const string Meta = "io.k8s.apimachinery.pkg.apis.meta";

    /// <summary>The apimachinery meta/v1 types among the models.</summary>
    private static readonly HashSet<Type> MetaTypes =
    [
        typeof(V1ObjectMeta), typeof(V1ListMeta), typeof(V1LabelSelector), typeof(V1LabelSelectorRequirement),
        typeof(V1OwnerReference), typeof(V1ManagedFieldsEntry), typeof(V1Condition), typeof(V1Status),
        typeof(V1StatusDetails), typeof(V1StatusCause), typeof(V1DeleteOptions), typeof(V1Preconditions),
        typeof(V1APIResource), typeof(V1APIResourceList), typeof(V1APIGroup), typeof(V1APIGroupList),
        typeof(V1APIVersions), typeof(V1GroupVersionForDiscovery), typeof(V1ServerAddressByClientCIDR),
    ];

    /// <summary>Core kinds that are not served but own types other groups embed (a Deployment's pod template).</summary>
    private static readonly Type[] CoreSeeds = [typeof(V1PodTemplate), typeof(V1ReplicationController)];

    private readonly Dictionary<Type, string> _packages = [];

    public SchemaNaming(IEnumerable<ResourceType> kinds)
    {
        var roots = kinds.OrderBy(k => k.Group.Length == 0 ? 0 : 1).Select(k => (k.ClrType, k.Group)).ToList();
        roots.InsertRange(roots.FindLastIndex(r => r.Group.Length == 0) + 1, CoreSeeds.Select(t => (t, "")));
        foreach (var (type, group) in roots)
        {
            Walk(type, PackageOf(group));
        }
    }

    /// <summary>The definition name of a struct model type.</summary>
    public string NameOf(Type type)
    {
        var m = ModelName().Match(type.Name);
        if (!m.Success)
        {
            return $"io.k8s.kubeweb.{type.Name}";
        }

        var package = MetaTypes.Contains(type) ? Meta
            : m.Groups["group"].Success ? PackageOf(m.Groups["group"].Value.ToLowerInvariant() is "core" ? "" : m.Groups["group"].Value.ToLowerInvariant())
            : _packages.GetValueOrDefault(type, "io.k8s.api.core");
        return $"{package}.{m.Groups["version"].Value.ToLowerInvariant()}.{m.Groups["name"].Value}";
    }

    private static string PackageOf(string group) => group switch
    {
        "" => "io.k8s.api.core",
        "apiextensions.k8s.io" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
        "apiregistration.k8s.io" => "io.k8s.kube-aggregator.pkg.apis.apiregistration",
        _ => "io.k8s.api." + group.Split('.')[0],
    };

    private void Walk(Type root, string package)
    {
        var pending = new Queue<Type>([root]);
        while (pending.TryDequeue(out var type))
        {
            var shape = TypeShape.Of(Nullable.GetUnderlyingType(type) ?? type);
            switch (shape.Kind)
            {
                case ShapeKind.List or ShapeKind.Map when shape.ElementType is not null:
                    pending.Enqueue(shape.ElementType);
                    break;
                case ShapeKind.Struct when shape.ClrType is not null && !MetaTypes.Contains(shape.ClrType) && _packages.TryAdd(shape.ClrType, package):
                    foreach (var name in shape.PropertyNames)
                    {
                        pending.Enqueue(shape.PropertyType(name)!);
                    }

                    break;
            }
        }
    }

    [GeneratedRegex(@"^(?<group>[A-Z][a-z]+)?(?<version>[Vv]\d+(?:alpha\d+|beta\d+)?)(?<name>[A-Z]\w*)$")]
    private static partial Regex ModelName();
}
