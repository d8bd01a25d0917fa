using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using k8s.Autorest;
using k8s.Models;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Web.Api;

/// <summary>One field the API rejected (a <c>Status</c> cause), e.g. <c>spec.replicas</c>.</summary>
public sealed record FieldProblem(string Field, string Message, string Reason);

/// <summary>An API failure as a person can act on it: what happened, what to do, which fields.</summary>
public sealed record ApiProblem(string Title, string Detail, IReadOnlyList<FieldProblem> Fields, bool Unreachable = false, int Code = 0)
{
    /// <summary>The API is not serving: it cannot be reached, or it answers 503 (its datastore is down).</summary>
    public bool ApiDown => Unreachable || Code == 503;

    public override string ToString() => Fields.Count == 0 ? $"{Title}: {Detail}" : $"{Title}: {Detail} ({string.Join("; ", Fields.Select(f => $"{f.Field}: {f.Message}"))})";
}

/// <summary>Turns API errors (Status bodies, transport failures) into <see cref="ApiProblem"/>s.</summary>
public static class ApiErrors
{
    public static V1Status ParseStatus(string body, HttpStatusCode code)
    {
        try
        {
            if (JsonSerializer.Deserialize<V1Status>(body, KubeJson.Options) is { Kind: "Status" } status)
            {
                status.Code ??= (int)code;
                return status;
            }
        }
        catch (JsonException)
        {
        }

        return new V1Status { Code = (int)code, Reason = code.ToString(), Message = string.IsNullOrWhiteSpace(body) ? code.ToString() : body };
    }

    public static bool IsUnreachable(Exception e) => e is HttpRequestException { StatusCode: null } or SocketException or IOException
        || e.InnerException is { } inner && IsUnreachable(inner);

    public static ApiProblem Describe(Exception e) => e switch
    {
        ApiStatusException s => Describe(s.Status),
        Rollouts.RolloutRefusedException r => r.Problem,
        HttpOperationException h => Describe(ParseStatus(h.Response?.Content ?? "", h.Response?.StatusCode ?? HttpStatusCode.InternalServerError)),
        _ when IsUnreachable(e) => new ApiProblem("The API server cannot be reached",
            "The console will reconnect when it answers again. Check that `kubeweb server` is running.", [], Unreachable: true),
        OperationCanceledException => new ApiProblem("The request timed out", "The API did not answer in time; try again.", []),
        _ => new ApiProblem("Unexpected error", e.Message, []),
    };

    public static ApiProblem Describe(V1Status status)
    {
        var fields = status.Details?.Causes?
            .Select(c => new FieldProblem(c.Field ?? "", c.Message ?? "", c.Reason ?? ""))
            .ToList() ?? [];
        var message = status.Message ?? status.Reason ?? "The request failed.";
        var code = status.Code ?? 0;
        var (title, hint) = (status.Reason, code) switch
        {
            ("Unauthorized", _) or (_, 401) => ("Not signed in", "Your session is no longer valid; sign in again with a valid token."),
            ("Forbidden", _) or (_, 403) => ("Not allowed", "Your account may not do this; ask a cluster administrator for access."),
            ("NotFound", _) or (_, 404) => ("Not found", "It may have been deleted, or it is in another namespace."),
            ("AlreadyExists", _) => ("Already exists", "Pick another name, or edit the existing object instead."),
            ("Conflict", _) or (_, 409) => ("Changed meanwhile", "Someone else changed it; reload and apply your change again."),
            ("Invalid", _) or (_, 422) => ("Invalid", "Fix the fields below and try again."),
            ("BadRequest", _) or (_, 400) => ("Bad request", "Check the YAML: kind, apiVersion and field names."),
            ("TooManyRequests", _) or (_, 429) => ("Too many requests", "The API is busy; try again in a moment."),
            ("Gone", _) or (_, 410) => ("Expired", "The data was too old; the view reloads."),
            (_, 503) => ("The API is unavailable", "Its datastore may be down; the console retries by itself."),
            (_, >= 500) => ("API error", "The API failed; try again, and check the server log if it persists."),
            _ => (status.Reason ?? "Error", ""),
        };
        return new ApiProblem(title, hint.Length == 0 ? message : $"{message.TrimEnd('.')}. {hint}", fields, Code: code);
    }
}
