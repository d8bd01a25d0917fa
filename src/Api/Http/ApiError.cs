using k8s.Models;
using KubeWeb.Api.Admission;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Http;

/// <summary>An error that leaves the API as a Kubernetes <c>Status</c> body with the given code and reason.</summary>
public sealed class ApiError(int code, string reason, string message, V1StatusDetails? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public V1StatusDetails? Details { get; } = details;

    public V1Status ToStatus() => new()
    {
        ApiVersion = "v1",
        Kind = "Status",
        Metadata = new V1ListMeta(),
        Status = "Failure",
        Message = Message,
        Reason = Reason,
        Code = Code,
        Details = Details,
    };

    public static ApiError NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.GroupResource} \"{name}\" not found", new() { Name = name, Group = G(type), Kind = type.Plural });

    public static ApiError NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new() { Name = ns, Kind = "namespaces" });

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists", new() { Name = name, Group = G(type), Kind = type.Plural });

    public static ApiError Conflict(ResourceType type, string name, string? detail = null) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": {detail ?? "the object has been modified; please apply your changes to the latest version and try again"}",
            new() { Name = name, Group = G(type), Kind = type.Plural });

    public static ApiError Invalid(ResourceType type, string name, IReadOnlyCollection<FieldError> errors) =>
        new(422, "Invalid",
            $"{type.Kind}{(type.Group.Length > 0 ? "." + type.Group : "")} \"{name}\" is invalid: " +
            (errors.Count == 1 ? Describe(errors.First()) : "[" + string.Join(", ", errors.Select(Describe)) + "]"),
            new()
            {
                Name = name,
                Group = G(type),
                Kind = type.Kind,
                Causes = [.. errors.Select(e => new V1StatusCause { Reason = e.Reason, Message = e.Message, Field = e.Field })],
            });

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiError Forbidden(ResourceType type, string name, string detail) =>
        new(403, "Forbidden", $"{type.GroupResource} \"{name}\" is forbidden: {detail}", new() { Name = name, Group = G(type), Kind = type.Plural });

    public static ApiError Gone(string message) => new(410, "Expired", message);

    public static ApiError Unavailable(string message) => new(503, "ServiceUnavailable", message);

    public static ApiError UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got \"{contentType}\")");

    /// <summary>The group as Status details carry it: omitted for the core group.</summary>
    internal static string? G(ResourceType type) => type.Group.Length == 0 ? null : type.Group;

    private static string Describe(FieldError e) => e.Field.Length == 0 ? e.Message : $"{e.Field}: {e.Message}";
}
