using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Http;

/// <summary>Turns a request body into the kind's typed object, with kube-apiserver's strict-decoding checks.</summary>
internal static class ObjectDecoder
{
    public static async Task<(JsonObject Node, string Media, byte[] Raw)> ReadNodeAsync(HttpContext ctx)
    {
        var raw = await BodyDecoder.ReadAsync(ctx.Request, ctx.RequestAborted);
        var media = BodyDecoder.MediaType(ctx.Request.ContentType);
        var node = BodyDecoder.Parse(raw, media);
        return node is JsonObject obj ? (obj, media, raw) : throw ApiError.BadRequest("the request body must be a JSON object");
    }

    /// <summary>
    /// Checks kind/apiVersion and (per <paramref name="mode"/>) unknown and duplicate fields, then
    /// decodes <paramref name="node"/> into the served type. Warn-mode findings are returned.
    /// </summary>
    public static IKubernetesObject<V1ObjectMeta> Decode(
        JsonObject node, ResourceType type, FieldValidationMode mode, byte[]? rawJson, List<string> warnings)
    {
        var kind = node["kind"]?.GetValue<string>();
        var apiVersion = node["apiVersion"]?.GetValue<string>();
        if (kind is { Length: > 0 } && kind != type.Kind)
        {
            throw ApiError.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        if (apiVersion is { Length: > 0 } && apiVersion != type.ApiVersion)
        {
            throw ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        if (mode != FieldValidationMode.Ignore)
        {
            var problems = FieldValidation.UnknownFields(node, type.ClrType);
            if (rawJson is not null)
            {
                problems.InsertRange(0, FieldValidation.DuplicateFields(rawJson));
            }

            if (problems.Count > 0)
            {
                if (mode == FieldValidationMode.Strict)
                {
                    throw ApiError.BadRequest(
                        $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", problems)}");
                }

                warnings.AddRange(problems);
            }
        }

        try
        {
            var obj = (IKubernetesObject<V1ObjectMeta>?)node.Deserialize(type.ClrType, KubeJson.Options)
                ?? throw ApiError.BadRequest("the request body is null");
            obj.Metadata ??= new V1ObjectMeta();
            obj.ApiVersion = type.ApiVersion;
            obj.Kind = type.Kind;
            return obj;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or OverflowException)
        {
            throw ApiError.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {Clean(e)}");
        }
    }

    private static string Clean(Exception e) =>
        e is JsonException { Path: { } path } ? $"json: cannot decode field {path.TrimStart('$', '.')}: {e.Message.Split(" Path:")[0]}" : e.Message;
}
