using System.Text.Json;
using k8s.Models;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Web.Exec;

/// <summary>How an exec session ended: the process's exit code, or why it could not run.</summary>
public sealed record ExecExit(int? Code, string Message)
{
    /// <summary>
    /// Reads the <c>Status</c> the API sends on the error channel (3) when the process ends: Success
    /// means exit 0; <c>NonZeroExitCode</c> carries the code in an <c>ExitCode</c> cause; any other
    /// failure is an error message (no such shell, container not running).
    /// </summary>
    public static ExecExit FromStatus(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new ExecExit(null, "the connection closed without an exit status");
        }

        V1Status? status;
        try
        {
            status = JsonSerializer.Deserialize<V1Status>(json, KubeJson.Options);
        }
        catch (JsonException)
        {
            return new ExecExit(null, json.Trim());
        }

        if (status?.Status == "Success")
        {
            return new ExecExit(0, "exited with status 0");
        }

        var cause = status?.Details?.Causes?.FirstOrDefault(c => c.Reason == "ExitCode");
        return cause is not null && int.TryParse(cause.Message, out var code)
            ? new ExecExit(code, $"exited with status {code}")
            : new ExecExit(null, status?.Message ?? json.Trim());
    }
}
