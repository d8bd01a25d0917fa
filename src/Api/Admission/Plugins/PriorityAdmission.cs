using k8s.Models;

namespace KubeWeb.Api.Admission.Plugins;

/// <summary>
/// kube-apiserver's Priority admission plugin for new pods: <c>spec.priorityClassName</c> (or the
/// cluster's globalDefault class when none is named) becomes <c>spec.priority</c> and
/// <c>spec.preemptionPolicy</c>. Without either, a pod gets priority 0. A pod may not state a
/// priority or policy of its own that differs from its class's.
/// </summary>
public static class PriorityAdmission
{
    public const string DefaultPreemptionPolicy = "PreemptLowerPriority";

    /// <exception cref="PriorityAdmissionException">The class does not exist, or the pod's own values disagree with it.</exception>
    public static void Apply(V1Pod pod, Func<string, V1PriorityClass?> find, Func<IEnumerable<V1PriorityClass>> all)
    {
        var spec = pod.Spec ??= new V1PodSpec();
        V1PriorityClass? cls;
        if (string.IsNullOrEmpty(spec.PriorityClassName))
        {
            // The default with the lowest value wins if several claim it (as upstream resolves a race).
            cls = all().Where(c => c.GlobalDefault == true).OrderBy(c => c.Value).FirstOrDefault();
            if (cls is not null)
            {
                spec.PriorityClassName = cls.Metadata.Name;
            }
        }
        else
        {
            cls = find(spec.PriorityClassName) ?? throw new PriorityAdmissionException($"no PriorityClass with name {spec.PriorityClassName} was found");
        }

        var priority = cls?.Value ?? 0;
        var policy = cls?.PreemptionPolicy ?? DefaultPreemptionPolicy;
        if (spec.Priority is { } given && given != priority)
        {
            throw new PriorityAdmissionException(
                $"the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name");
        }

        if (spec.PreemptionPolicy is { } own && own != policy)
        {
            throw new PriorityAdmissionException(
                $"the string value of PreemptionPolicy ({own}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name");
        }

        spec.Priority = priority;
        spec.PreemptionPolicy = policy;
    }

    /// <summary>
    /// For a new PriorityClass: only one may be the global default.
    /// </summary>
    /// <exception cref="PriorityAdmissionException">Another class is already the default.</exception>
    public static void CheckSingleDefault(V1PriorityClass created, IEnumerable<V1PriorityClass> existing)
    {
        if (created.GlobalDefault == true && existing.FirstOrDefault(c => c.GlobalDefault == true && c.Metadata.Name != created.Metadata.Name) is { } other)
        {
            throw new PriorityAdmissionException($"PriorityClass {other.Metadata.Name} is already marked as default. Only one default can exist");
        }
    }
}

/// <summary>Refused by priority admission (the caller answers 403, as upstream).</summary>
public sealed class PriorityAdmissionException(string message) : Exception(message);
