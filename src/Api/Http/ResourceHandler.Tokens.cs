using System.Text.Json;
using k8s.Models;
using KubeWeb.Api.Admission;
using KubeWeb.Api.Security;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Api.Http;

public sealed partial class ResourceHandler
{
    private static readonly string[] BindableKinds = ["Pod", "Secret"];

    /// <summary>
    /// <c>POST serviceaccounts/{name}/token</c> (authentication.k8s.io/v1 TokenRequest, what
    /// <c>kubectl create token</c> sends): validates expirationSeconds (at least 10 minutes, 1 hour by
    /// default), audiences and boundObjectRef (a Pod or Secret of the account's namespace, uid
    /// checked), then answers the request with status.token and status.expirationTimestamp. Nothing is stored.
    /// </summary>
    private async Task TokenRequestAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var (node, _, _) = await ObjectDecoder.ReadNodeAsync(ctx);
        Authenticationv1TokenRequest request;
        try
        {
            request = node.Deserialize<Authenticationv1TokenRequest>(KubeJson.Options) ?? new Authenticationv1TokenRequest();
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"invalid TokenRequest: {e.Message}");
        }

        var account = (V1ServiceAccount)Require(type, info).Object;
        request.Spec ??= new V1TokenRequestSpec();
        request.Spec.ExpirationSeconds ??= ServiceAccountTokens.DefaultExpirationSeconds;
        var tokenType = new ResourceType
        {
            Group = "authentication.k8s.io", Version = "v1", Kind = "TokenRequest", Plural = "tokenrequests", Namespaced = true, ClrType = typeof(Authenticationv1TokenRequest),
        };
        var errors = new List<FieldError>();
        if (request.Spec.ExpirationSeconds < ServiceAccountTokens.MinExpirationSeconds)
        {
            errors.Add(FieldError.Invalid("spec.expirationSeconds", request.Spec.ExpirationSeconds, "may not specify a duration less than 10 minutes"));
        }
        else if (request.Spec.ExpirationSeconds > 1L << 32)
        {
            errors.Add(FieldError.Invalid("spec.expirationSeconds", request.Spec.ExpirationSeconds, "may not specify a duration larger than 2^32 seconds"));
        }

        BoundObject? bound = null;
        if (request.Spec.BoundObjectRef is { } reference)
        {
            if (!BindableKinds.Contains(reference.Kind) || reference.ApiVersion is not (null or "" or "v1"))
            {
                errors.Add(FieldError.NotSupported("spec.boundObjectRef.kind", reference.Kind, BindableKinds));
            }
            else if (string.IsNullOrEmpty(reference.Name))
            {
                errors.Add(FieldError.Required("spec.boundObjectRef.name"));
            }
            else
            {
                var resource = reference.Kind == "Pod" ? "pods" : "secrets";
                var target = store.Get(resource, info.Namespace!, reference.Name)?.Object
                    ?? throw new ApiError(404, "NotFound", $"{resource} \"{reference.Name}\" not found", new() { Name = reference.Name, Kind = resource });
                if (!string.IsNullOrEmpty(reference.Uid) && reference.Uid != target.Metadata.Uid)
                {
                    throw new ApiError(409, "Conflict",
                        $"Operation cannot be fulfilled on {resource} \"{reference.Name}\": the UID in the bound object reference ({reference.Uid}) does not match the UID in record. The object might have been deleted and then recreated");
                }

                bound = new BoundObject(reference.Kind, reference.Name, target.Metadata.Uid);
            }
        }

        if (errors.Count > 0)
        {
            throw ApiError.Invalid(tokenType, info.Name!, errors);
        }

        var tokens = ctx.RequestServices.GetRequiredService<ServiceAccountTokens>();
        var (token, expires) = tokens.Issue(account, [.. request.Spec.Audiences ?? []], request.Spec.ExpirationSeconds.Value, bound);
        request.ApiVersion = "authentication.k8s.io/v1";
        request.Kind = "TokenRequest";
        request.Metadata ??= new V1ObjectMeta();
        request.Metadata.Name = account.Metadata.Name;
        request.Metadata.NamespaceProperty = account.Metadata.NamespaceProperty;
        request.Metadata.CreationTimestamp = Now();
        if (request.Spec.Audiences is not { Count: > 0 })
        {
            request.Spec.Audiences = [ServiceAccountTokens.Issuer];
        }

        request.Status = new V1TokenRequestStatus { Token = token, ExpirationTimestamp = expires.UtcDateTime };
        await Responses.WriteAsync(ctx, 201, request, typeof(Authenticationv1TokenRequest));
    }
}
