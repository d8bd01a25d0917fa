using System.Text;
using System.Text.Json;
using KubeWeb.Api.Admission;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Selectors;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Http;

/// <summary>The selection part of a list or watch request: namespace, label and field selectors.</summary>
public sealed class ListQuery
{
    private readonly IResourceStrategy _strategy;

    private ListQuery(string? ns, LabelSelector labels, FieldSelector fields, IResourceStrategy strategy)
    {
        Namespace = ns;
        Labels = labels;
        Fields = fields;
        _strategy = strategy;
    }

    public string? Namespace { get; }

    public LabelSelector Labels { get; }

    public FieldSelector Fields { get; }

    public static ListQuery From(HttpRequest request, string? ns, ResourceType type, IResourceStrategy strategy)
    {
        var (labels, fields) = ParseSelectors(request);

        foreach (var r in fields.Requirements)
        {
            if (r.Field is not ("metadata.name" or "metadata.namespace") && strategy.GetField(Probe(type), r.Field) is null)
            {
                throw ApiError.BadRequest($"field label not supported: {r.Field}");
            }
        }

        return new ListQuery(ns, labels, fields, strategy);
    }

    public bool Matches(StoredObject o)
    {
        if (Namespace is not null && o.Namespace != Namespace)
        {
            return false;
        }

        if (!Labels.IsEmpty && !Labels.Matches(o.Object.Metadata.Labels))
        {
            return false;
        }

        return Fields.IsEmpty || Fields.Matches(f => f switch
        {
            "metadata.name" => o.Name,
            "metadata.namespace" => o.Namespace,
            _ => _strategy.GetField(o.Object, f),
        });
    }

    /// <summary>An empty object of the kind, used to learn which field-selector fields it supports.</summary>
    private static k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> Probe(ResourceType type)
    {
        var o = (k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>)Activator.CreateInstance(type.ClrType)!;
        o.Metadata = new k8s.Models.V1ObjectMeta();
        return o;
    }

    /// <summary>The request's <c>labelSelector</c> and <c>fieldSelector</c>; a malformed one is a 400 Status.</summary>
    public static (LabelSelector Labels, FieldSelector Fields) ParseSelectors(HttpRequest request)
    {
        try
        {
            var labels = LabelSelector.Parse(request.Query["labelSelector"]);
            try
            {
                return (labels, FieldSelector.Parse(request.Query["fieldSelector"]));
            }
            catch (FormatException e)
            {
                throw ApiError.BadRequest(e.Message);
            }
        }
        catch (FormatException e)
        {
            throw ApiError.BadRequest($"unable to parse requirement: {e.Message}");
        }
    }
}

/// <summary>The opaque <c>continue</c> token: the key to resume after and the list's revision.</summary>
internal static class ContinueToken
{
    public static string Encode(string key, long revision) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Token(key, revision)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (string Key, long Revision) Decode(string token)
    {
        try
        {
            var s = token.Replace('-', '+').Replace('_', '/');
            s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
            var t = JsonSerializer.Deserialize<Token>(Encoding.UTF8.GetString(Convert.FromBase64String(s)))!;
            return (t.Start, t.Rv);
        }
        catch (Exception e) when (e is FormatException or JsonException or NullReferenceException)
        {
            throw ApiError.BadRequest($"invalid continue token: {e.Message}");
        }
    }

    private sealed record Token(string Start, long Rv);
}
