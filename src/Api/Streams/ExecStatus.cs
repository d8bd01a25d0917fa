using System.Text.Json.Nodes;

namespace KubeWeb.Api.Streams;

/// <summary>The Status an exec or attach ends with (error channel 3, or the SPDY <c>error</c> stream), as the kubelet writes it.</summary>
internal static class ExecStatus
{
    public static byte[] Exited(int code, IReadOnlyList<string> command) => System.Text.Encoding.UTF8.GetBytes((code == 0
        ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
        : new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {code}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            },
        }).ToJsonString());

    public static byte[] Failed(string message) => System.Text.Encoding.UTF8.GetBytes(new JsonObject
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = "InternalError",
        ["code"] = 500,
    }.ToJsonString());
}
