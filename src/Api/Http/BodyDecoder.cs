using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using YamlDotNet.RepresentationModel;

namespace KubeWeb.Api.Http;

/// <summary>Reads request bodies (JSON, YAML, Kubernetes protobuf) into a JSON tree, with the API's size limit.</summary>
public static class BodyDecoder
{
    /// <summary>kube-apiserver's limit for a request body.</summary>
    public const int MaxBodyBytes = 3 * 1024 * 1024;

    public static async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }

        if (request.ContentLength is { } length)
        {
            // The usual case: the body is read straight into an array of its size (no 80 KiB chunk per request).
            // The server never reads past Content-Length; a body cut short is the client's error.
            var body = new byte[length];
            try
            {
                await request.Body.ReadExactlyAsync(body, ct);
            }
            catch (EndOfStreamException)
            {
                throw ApiError.BadRequest("the request body is shorter than its Content-Length");
            }

            return body;
        }

        using var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16384);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes)
                {
                    throw TooLarge();
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>Media type without parameters, lower-case ("application/json").</summary>
    public static string MediaType(string? contentType) =>
        (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>Parses a body into a JSON node according to its media type.</summary>
    public static JsonNode Parse(byte[] body, string mediaType)
    {
        if (body.Length == 0)
        {
            throw ApiError.BadRequest("the request body is empty");
        }

        switch (mediaType)
        {
            case "application/vnd.kubernetes.protobuf":
                try
                {
                    return Protobuf.ProtobufDecoder.Decode(body);
                }
                catch (Protobuf.ProtobufDecodeException e) when (e.Failure == Protobuf.ProtobufDecodeFailure.Unsupported)
                {
                    throw new ApiError(415, "UnsupportedMediaType", e.Message);
                }
                catch (Protobuf.ProtobufDecodeException e)
                {
                    throw ApiError.BadRequest($"the protobuf body could not be decoded: {e.Message}");
                }

            case "application/yaml" or "application/apply-patch+yaml" or "application/x-yaml" or "text/yaml":
                return ParseYaml(body);
            case "" or "application/json" or "application/merge-patch+json" or "application/strategic-merge-patch+json"
                or "application/json-patch+json" or "text/plain":
                return ParseJson(body);
            default:
                throw ApiError.UnsupportedMediaType(mediaType);
        }
    }

    public static JsonNode ParseJson(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 256 })
                ?? throw ApiError.BadRequest("the request body is null");
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"error decoding JSON body: {e.Message}");
        }
        catch (ArgumentException e)
        {
            // JsonObject refuses duplicate keys when it materializes.
            throw ApiError.BadRequest($"error decoding JSON body: {e.Message}");
        }
    }

    /// <summary>YAML (which includes JSON) to a JSON tree; plain scalars become numbers, booleans and null as YAML 1.2 core does.</summary>
    public static JsonNode ParseYaml(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        if (text.TrimStart().StartsWith('{'))
        {
            return ParseJson(body);
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0)
            {
                throw ApiError.BadRequest("the request body is empty");
            }

            return ToJson(stream.Documents[0].RootNode) ?? throw ApiError.BadRequest("the request body is null");
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw ApiError.BadRequest($"error converting YAML to JSON: yaml: line {e.Start.Line}: {e.Message}");
        }
    }

    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = ((YamlScalarNode)k).Value ?? "";
                    if (obj.ContainsKey(key))
                    {
                        throw ApiError.BadRequest($"error converting YAML to JSON: yaml: mapping key \"{key}\" already defined");
                    }

                    obj[key] = ToJson(v);
                }

                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children)
                {
                    arr.Add(ToJson(item));
                }

                return arr;
            case YamlScalarNode scalar:
                var s = scalar.Value ?? "";
                if (scalar.Style is YamlDotNet.Core.ScalarStyle.Plain)
                {
                    if (s is "" or "~" or "null" or "Null" or "NULL")
                    {
                        return null;
                    }

                    if (s is "true" or "True" or "TRUE")
                    {
                        return JsonValue.Create(true);
                    }

                    if (s is "false" or "False" or "FALSE")
                    {
                        return JsonValue.Create(false);
                    }

                    if (long.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l))
                    {
                        return JsonValue.Create(l);
                    }

                    if (System.Text.RegularExpressions.Regex.IsMatch(s, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$") &&
                        double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var d))
                    {
                        return JsonValue.Create(d);
                    }
                }

                return JsonValue.Create(s);
            default:
                return null;
        }
    }

    private static ApiError TooLarge() =>
        new(413, "RequestEntityTooLarge", $"Request entity too large: limit is {MaxBodyBytes}");
}
