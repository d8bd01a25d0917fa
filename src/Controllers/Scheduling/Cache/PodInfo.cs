using System.Collections.Immutable;
using k8s.Models;
using KubeWeb.Core.Informers;

namespace KubeWeb.Controllers.Scheduling.Cache;

/// <summary>A host port a pod claims: (ip, protocol, port); ip 0.0.0.0 claims every address.</summary>
internal readonly record struct HostPort(string Ip, string Protocol, int Port)
{
    public const string AnyIp = "0.0.0.0";

    public bool ConflictsWith(HostPort other) =>
        Port == other.Port && Protocol == other.Protocol && (Ip == other.Ip || Ip == AnyIp || other.Ip == AnyIp);
}

/// <summary>A required or preferred pod (anti-)affinity term, parsed once: which pods it selects and over which topology.</summary>
internal sealed class AffinityTerm(ImmutableHashSet<string>? namespaces, LabelMatcher selector, string topologyKey, int weight = 0)
{
    /// <summary>Null means every namespace.</summary>
    public ImmutableHashSet<string>? Namespaces { get; } = namespaces;

    public LabelMatcher Selector { get; } = selector;

    public string TopologyKey { get; } = topologyKey;

    public int Weight { get; } = weight;

    public bool Matches(PodInfo pod) =>
        (Namespaces is null || Namespaces.Contains(pod.Namespace)) && Selector.Matches(pod.Labels);

    public static AffinityTerm From(V1PodAffinityTerm term, string podNamespace, int weight = 0)
    {
        ImmutableHashSet<string>? namespaces;
        if (term.NamespaceSelector is { } nsSelector && (nsSelector.MatchLabels?.Count ?? 0) == 0 && (nsSelector.MatchExpressions?.Count ?? 0) == 0)
        {
            namespaces = null; // an empty namespaceSelector selects every namespace
        }
        else
        {
            // A non-empty namespaceSelector would need namespace labels; the scheduler keeps no namespace
            // cache yet, so such a term applies to its listed namespaces (or the pod's own) only.
            namespaces = term.Namespaces is { Count: > 0 } listed ? [.. listed] : [podNamespace];
        }

        return new AffinityTerm(namespaces, LabelMatcher.From(term.LabelSelector), term.TopologyKey ?? "", weight);
    }
}

/// <summary>A topology spread constraint, parsed once (matchLabelKeys folded into the selector).</summary>
internal sealed record SpreadConstraint(int MaxSkew, string TopologyKey, bool Hard, LabelMatcher Selector);

/// <summary>
/// What the scheduler needs to know about one pod, computed once from the pod object (requests with
/// the init-container rule, host ports, parsed affinity terms and tolerations). Immutable; it shares
/// the pod object, which is an informer's cached copy and must never be mutated.
/// </summary>
internal sealed class PodInfo
{
    private const long DefaultMilliCpuRequest = 100;
    private const long DefaultMemoryRequest = 200L * 1024 * 1024;

    private static readonly IDictionary<string, string> NoLabels = ImmutableDictionary<string, string>.Empty;

    private PodInfo(V1Pod pod)
    {
        Pod = pod;
        Key = ObjectKeys.Of(pod);
        Namespace = pod.Metadata.NamespaceProperty ?? "";
        Labels = pod.Metadata.Labels ?? NoLabels;
        OwnerUid = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Uid;
        Priority = pod.Spec?.Priority ?? 0;
        Tolerations = pod.Spec?.Tolerations is { Count: > 0 } t ? [.. t] : [];
    }

    public V1Pod Pod { get; }

    /// <summary>namespace/name.</summary>
    public string Key { get; }

    public string Namespace { get; }

    public IDictionary<string, string> Labels { get; }

    /// <summary>The uid of the controlling owner (ReplicaSet, StatefulSet...), the default spreading group.</summary>
    public string? OwnerUid { get; }

    public int Priority { get; }

    public Resources Requests { get; private init; } = Resources.Zero;

    /// <summary>Requests with upstream's defaults for containers that set none (100m cpu, 200Mi memory), for scoring.</summary>
    public long NonZeroMilliCpu { get; private init; }

    public long NonZeroMemory { get; private init; }

    public ImmutableArray<HostPort> HostPorts { get; private init; } = [];

    public ImmutableArray<V1Toleration> Tolerations { get; }

    public ImmutableArray<AffinityTerm> RequiredAffinity { get; private init; } = [];

    public ImmutableArray<AffinityTerm> RequiredAntiAffinity { get; private init; } = [];

    public ImmutableArray<SpreadConstraint> SpreadConstraints { get; private init; } = [];

    public bool HasRequiredAffinityTerms => RequiredAffinity.Length > 0 || RequiredAntiAffinity.Length > 0;

    public static PodInfo Create(V1Pod pod)
    {
        var spec = pod.Spec ?? new V1PodSpec();
        var (requests, nonZeroCpu, nonZeroMemory) = ComputeRequests(spec);
        var ns = pod.Metadata.NamespaceProperty ?? "";
        var affinity = spec.Affinity;
        return new PodInfo(pod)
        {
            Requests = requests,
            NonZeroMilliCpu = nonZeroCpu,
            NonZeroMemory = nonZeroMemory,
            HostPorts = ComputeHostPorts(spec),
            RequiredAffinity = [.. (affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => AffinityTerm.From(t, ns))],
            RequiredAntiAffinity = [.. (affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => AffinityTerm.From(t, ns))],
            SpreadConstraints = [.. (spec.TopologySpreadConstraints ?? []).Select(c => ToConstraint(c, pod))],
        };
    }

    private static SpreadConstraint ToConstraint(V1TopologySpreadConstraint c, V1Pod pod)
    {
        var selector = LabelMatcher.From(c.LabelSelector);
        if (c.MatchLabelKeys is { Count: > 0 } keys && pod.Metadata.Labels is { } labels)
        {
            selector = selector.WithValuesOf(keys, labels);
        }

        return new SpreadConstraint(Math.Max(1, c.MaxSkew), c.TopologyKey ?? "", c.WhenUnsatisfiable != "ScheduleAnyway", selector);
    }

    /// <summary>
    /// Upstream's PodRequests: the sum of the containers plus restartable (sidecar) init containers,
    /// or the largest regular init container (plus the sidecars started before it) if that is larger,
    /// plus the pod overhead. Missing requests fall back to limits, as API defaulting does.
    /// </summary>
    private static (Resources Requests, long NonZeroCpu, long NonZeroMemory) ComputeRequests(V1PodSpec spec)
    {
        var sum = Resources.Zero;
        long nzCpu = 0, nzMem = 0;
        foreach (var c in spec.Containers ?? [])
        {
            var r = ContainerRequests(c);
            sum = sum.Add(r);
            nzCpu += r.MilliCpu == 0 ? DefaultMilliCpuRequest : r.MilliCpu;
            nzMem += r.Memory == 0 ? DefaultMemoryRequest : r.Memory;
        }

        var sidecars = Resources.Zero;
        var init = Resources.Zero;
        long sidecarCpu = 0, sidecarMem = 0, initCpu = 0, initMem = 0;
        foreach (var c in spec.InitContainers ?? [])
        {
            var r = ContainerRequests(c);
            var cpu = r.MilliCpu == 0 ? DefaultMilliCpuRequest : r.MilliCpu;
            var mem = r.Memory == 0 ? DefaultMemoryRequest : r.Memory;
            if (c.RestartPolicy == "Always")
            {
                sidecars = sidecars.Add(r);
                sidecarCpu += cpu;
                sidecarMem += mem;
                init = init.Max(sidecars);
                (initCpu, initMem) = (Math.Max(initCpu, sidecarCpu), Math.Max(initMem, sidecarMem));
            }
            else
            {
                init = init.Max(r.Add(sidecars));
                (initCpu, initMem) = (Math.Max(initCpu, cpu + sidecarCpu), Math.Max(initMem, mem + sidecarMem));
            }
        }

        var total = sum.Add(sidecars).Max(init);
        nzCpu = Math.Max(nzCpu + sidecarCpu, initCpu);
        nzMem = Math.Max(nzMem + sidecarMem, initMem);
        if (spec.Overhead is { Count: > 0 } overhead)
        {
            var o = Resources.From(overhead);
            total = total.Add(o);
            nzCpu += o.MilliCpu;
            nzMem += o.Memory;
        }

        return (total, nzCpu, nzMem);
    }

    private static Resources ContainerRequests(V1Container c)
    {
        var requests = c.Resources?.Requests;
        var limits = c.Resources?.Limits;
        if (limits is null || limits.Count == 0)
        {
            return Resources.From(requests);
        }

        var merged = new Dictionary<string, ResourceQuantity>(limits, StringComparer.Ordinal);
        foreach (var (k, v) in requests ?? new Dictionary<string, ResourceQuantity>())
        {
            merged[k] = v;
        }

        return Resources.From(merged);
    }

    private static ImmutableArray<HostPort> ComputeHostPorts(V1PodSpec spec)
    {
        var containers = (spec.Containers ?? []).Concat((spec.InitContainers ?? []).Where(c => c.RestartPolicy == "Always"));
        var ports = ImmutableArray.CreateBuilder<HostPort>();
        foreach (var c in containers)
        {
            foreach (var p in c.Ports ?? [])
            {
                if (p.HostPort is int hostPort && hostPort > 0)
                {
                    ports.Add(new HostPort(string.IsNullOrEmpty(p.HostIP) ? HostPort.AnyIp : p.HostIP, p.Protocol ?? "TCP", hostPort));
                }
            }
        }

        return ports.ToImmutable();
    }
}
