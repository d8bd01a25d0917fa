using k8s.Models;

namespace KubeWeb.Api.Tests.Printing;

/// <summary>A pinned clock and terse builders for the printer tests.</summary>
internal static class PrintFixture
{
    public static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static DateTime Ago(TimeSpan span) => (Now - span).UtcDateTime;

    public static DateTime MinutesAgo(double minutes) => Ago(TimeSpan.FromMinutes(minutes));

    public static V1ObjectMeta Meta(string name, double ageMinutes = 10, string? ns = "default") =>
        new() { Name = name, NamespaceProperty = ns, CreationTimestamp = MinutesAgo(ageMinutes) };

    public static V1PodTemplateSpec Template(params (string Name, string Image)[] containers) =>
        new() { Spec = new() { Containers = [.. containers.Select(c => new V1Container { Name = c.Name, Image = c.Image })] } };

    public static V1LabelSelector MatchLabels(params (string Key, string Value)[] labels) =>
        new() { MatchLabels = labels.ToDictionary(l => l.Key, l => l.Value) };
}
