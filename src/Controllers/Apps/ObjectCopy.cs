using System.Net;
using System.Text.Json;
using k8s.Autorest;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Controllers.Apps;

/// <summary>Deep copies of cached objects (informer caches are shared and must never be mutated).</summary>
internal static class ObjectCopy
{
    public static T Clone<T>(T obj)
        where T : class =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(obj, KubeJson.Options), KubeJson.Options)!;

    /// <summary>Structural equality through the wire form, as reflect.DeepEqual is used upstream.</summary>
    public static bool SameJson<T>(T? a, T? b) =>
        JsonSerializer.Serialize(a, KubeJson.Options) == JsonSerializer.Serialize(b, KubeJson.Options);
}

/// <summary>Status-code filters for the official client's exceptions.</summary>
internal static class ApiErrors
{
    public static bool IsNotFound(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound };

    public static bool IsAlreadyExists(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict } h
        && h.Response.Content?.Contains("AlreadyExists", StringComparison.Ordinal) == true;

    public static bool IsNamespaceTerminating(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden } h
        && h.Response.Content?.Contains("NamespaceTerminating", StringComparison.Ordinal) == true;

    /// <summary>
    /// What the API said, as client-go's error string: a Status body's message (<c>pods "x" is
    /// forbidden: …</c>), not the client's "Operation returned an invalid status code".
    /// </summary>
    public static string Message(Exception e)
    {
        if (e is HttpOperationException { Response.Content: { Length: > 0 } content })
        {
            try
            {
                using var doc = JsonDocument.Parse(content);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m)
                    && m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 } message)
                {
                    return message;
                }
            }
            catch (JsonException)
            {
            }
        }

        return e.Message;
    }
}
