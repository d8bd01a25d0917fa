using KubeWeb.Web.Api;

namespace KubeWeb.Web.Tests.Controls;

/// <summary>Pod Table rows as the API prints them (NAME READY STATUS RESTARTS AGE).</summary>
internal static class Rows
{
    public static readonly IReadOnlyList<KubeColumn> PodColumns =
    [
        new("Name", "string", "name", 0, ""),
        new("Ready", "string", "", 0, ""),
        new("Status", "string", "", 0, ""),
        new("Restarts", "string", "", 0, ""),
        new("Age", "string", "", 0, ""),
        new("IP", "string", "", 1, ""),
    ];

    public static KubeRow Pod(string name, string status, string restarts, int ageMinutes, string ns = "default", string app = "web") =>
        new(ns, name, name + "-uid", DateTimeOffset.UnixEpoch.AddDays(1).AddMinutes(-ageMinutes), new Dictionary<string, string> { ["app"] = app },
            [name, status == "Running" ? "1/1" : "0/1", status, restarts, $"{ageMinutes}m", "10.0.0.1"]);
}
