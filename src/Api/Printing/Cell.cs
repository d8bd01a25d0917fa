using System.Globalization;
using k8s;
using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>Cell formats shared by the printers: ages, label maps, selectors, container lists.</summary>
internal static class Cell
{
    public const string None = "<none>";
    public const string Unknown = "<unknown>";
    public const string Unset = "<unset>";

    public static string Name(IKubernetesObject<V1ObjectMeta> obj) => obj.Metadata?.Name ?? "";

    public static string Age(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now) =>
        Since(obj.Metadata?.CreationTimestamp, now);

    /// <summary>Go's zero <c>metav1.Time</c>: never set.</summary>
    public static bool IsZero(DateTime? t) => t is null || t.Value.Ticks == 0;

    public static DateTimeOffset Utc(DateTime t) =>
        t.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(t, TimeSpan.Zero) : new DateTimeOffset(t.ToUniversalTime());

    /// <summary>"5m" since <paramref name="t"/>, or "&lt;unknown&gt;" when it was never set.</summary>
    public static string Since(DateTime? t, DateTimeOffset now) =>
        IsZero(t) ? Unknown : Duration.HumanDuration(now - Utc(t!.Value));

    public static string Rfc3339(DateTime? t) =>
        (IsZero(t) ? DateTimeOffset.MinValue : Utc(t!.Value)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string OrNone(string? s) => string.IsNullOrEmpty(s) ? None : s;

    /// <summary>labels.FormatLabels: "a=b,c=d" sorted by key, "&lt;none&gt;" when empty.</summary>
    public static string Labels(IDictionary<string, string>? labels) =>
        labels is null || labels.Count == 0
            ? None
            : string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>metav1.FormatLabelSelector: the selector string, "&lt;none&gt;" when it selects everything or nothing.</summary>
    public static string Selector(V1LabelSelector? selector) =>
        SelectorString(selector) switch
        {
            null => "<error>",
            "" => None,
            var s => s,
        };

    /// <summary>
    /// The string of metav1.LabelSelectorAsSelector: requirements sorted by key, set values sorted;
    /// empty for a nil or empty selector; null when an operator is not valid.
    /// </summary>
    public static string? SelectorString(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return "";
        }

        var parts = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            parts.Add((key, $"{key}={value}"));
        }

        foreach (var e in selector.MatchExpressions ?? [])
        {
            var values = string.Join(",", (e.Values ?? []).Order(StringComparer.Ordinal));
            string? text = e.OperatorProperty switch
            {
                "In" => $"{e.Key} in ({values})",
                "NotIn" => $"{e.Key} notin ({values})",
                "Exists" => e.Key,
                "DoesNotExist" => "!" + e.Key,
                _ => null,
            };
            if (text is null)
            {
                return null;
            }

            parts.Add((e.Key, text));
        }

        return string.Join(",", parts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Text));
    }

    /// <summary>The wide Containers and Images cells: names and images, comma-separated, in spec order.</summary>
    public static (string Names, string Images) Containers(V1PodTemplateSpec? template) =>
        Containers(template?.Spec?.Containers);

    public static (string Names, string Images) Containers(IEnumerable<V1Container>? containers)
    {
        var list = containers?.ToList() ?? [];
        return (string.Join(",", list.Select(c => c.Name)), string.Join(",", list.Select(c => c.Image)));
    }

    /// <summary>A quantity as Go's <c>Quantity.String()</c> prints it; a missing one prints as Go's nil pointer.</summary>
    public static string Quantity(ResourceQuantity? q) => q?.ToString() ?? "<nil>";

    /// <summary>A quantity looked up in a resource map; absent reads as zero, as Go's map zero value.</summary>
    public static string Quantity(IDictionary<string, ResourceQuantity>? map, string name) =>
        map is not null && map.TryGetValue(name, out var q) && q is not null ? q.ToString() : "0";

    /// <summary>net.JoinHostPort: brackets around IPv6 addresses.</summary>
    public static string HostPort(string host, int port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";

    /// <summary>At most <paramref name="max"/> items, then " + N more..." for the rest.</summary>
    public static string FirstFew(IReadOnlyList<string> items, int max) =>
        items.Count > max
            ? $"{string.Join(",", items.Take(max))} + {items.Count - max} more..."
            : string.Join(",", items);

    /// <summary>Unique, sorted load-balancer addresses: the IP, else the hostname, of each ingress point.</summary>
    public static string LoadBalancer(IEnumerable<(string Ip, string Hostname)>? points) =>
        string.Join(",", (points ?? [])
            .Select(p => !string.IsNullOrEmpty(p.Ip) ? p.Ip : p.Hostname)
            .Where(s => !string.IsNullOrEmpty(s))
            .Distinct()
            .Order(StringComparer.Ordinal));
}
