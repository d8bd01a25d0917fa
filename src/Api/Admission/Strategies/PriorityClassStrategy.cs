using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// scheduling.k8s.io/v1 PriorityClasses: user classes go up to one billion; names beginning
/// <c>system-</c> are the two built-in classes only; value and preemption policy never change.
/// </summary>
public sealed class PriorityClassStrategy : KubeStrategy<V1PriorityClass>
{
    public const string SystemPrefix = "system-";
    public const int HighestUserDefinablePriority = 1_000_000_000;
    public const string PreemptLowerPriority = "PreemptLowerPriority";

    /// <summary>The classes every cluster has (kube-apiserver creates them at start).</summary>
    public static IReadOnlyList<V1PriorityClass> SystemClasses { get; } =
    [
        System("system-node-critical", 2_000_001_000, "Used for system critical pods that must not be moved from their current node."),
        System("system-cluster-critical", 2_000_000_000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    ];

    public PriorityClassStrategy()
        : base("scheduling.k8s.io/priorityclasses")
    {
    }

    protected override void Default(V1PriorityClass obj) => obj.PreemptionPolicy ??= PreemptLowerPriority;

    protected override IEnumerable<FieldError> ValidateCreate(V1PriorityClass obj)
    {
        var name = obj.Metadata?.Name ?? "";
        if (name.StartsWith(SystemPrefix, StringComparison.Ordinal))
        {
            var known = SystemClasses.FirstOrDefault(c => c.Metadata.Name == name);
            var error = known is null ? $"{name} is not a known system priority class"
                : known.Value != obj.Value ? $"value of {name} PriorityClass must be {known.Value}"
                : obj.GlobalDefault == true ? $"globalDefault of {name} PriorityClass must be false"
                : null;
            if (error is not null)
            {
                yield return FieldError.Forbidden("metadata.name", $"priority class names with '{SystemPrefix}' prefix are reserved for system use only. error: {error}");
            }
        }
        else if (obj.Value > HighestUserDefinablePriority)
        {
            yield return FieldError.Forbidden("value", $"maximum allowed value of a user defined priority is {HighestUserDefinablePriority}");
        }

        foreach (var e in Checks.OneOf(obj.PreemptionPolicy, "preemptionPolicy", PreemptLowerPriority, "Never"))
        {
            yield return e;
        }
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1PriorityClass obj, V1PriorityClass old)
    {
        if (obj.Value != old.Value)
        {
            yield return FieldError.Forbidden("value", "may not be changed in an update.");
        }

        if (obj.PreemptionPolicy != old.PreemptionPolicy)
        {
            yield return FieldError.Invalid("preemptionPolicy", obj.PreemptionPolicy ?? "", "field is immutable");
        }
    }

    private static V1PriorityClass System(string name, int value, string description) => new()
    {
        ApiVersion = "scheduling.k8s.io/v1",
        Kind = "PriorityClass",
        Metadata = new V1ObjectMeta { Name = name },
        Value = value,
        Description = description,
        PreemptionPolicy = PreemptLowerPriority,
    };
}
