using k8s;
using k8s.Models;
using KubeWeb.Api.Admission;
using KubeWeb.Api.Printing;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Api.Http;

/// <summary>
/// The one handler behind every resource path. It resolves the resource, then dispatches on verb
/// and subresource; what differs per kind comes from the kind's <see cref="IResourceStrategy"/>.
/// Split by concern: <c>.Read</c> (get, list, watch), <c>.Write</c> (create, update, patch),
/// <c>.Delete</c>, <c>.Subresources</c>.
/// </summary>
public sealed partial class ResourceHandler(
    ResourceRegistry registry,
    StrategyRegistry strategies,
    ObjectStore store,
    TablePrinters printers,
    ManagedFieldsTracker ManagedFields,
    Allocation.ServiceAllocator services,
    ApiServerOptions apiOptions,
    TimeProvider time,
    ILogger<ResourceHandler> log)
{
    private ObjectCodec Codec => store.Codec;

    public async Task HandleAsync(HttpContext ctx, string group, string version, string? rest)
    {
        try
        {
            var info = RequestInfo.Parse(group, version, rest) ?? throw NotFoundPath();
            var type = registry.Find(group, version, info.Resource) ?? throw NotFoundPath();
            if (!type.Namespaced && info.Namespace is not null)
            {
                throw NotFoundPath();
            }

            await DispatchAsync(ctx, info, type);
        }
        catch (ApiError e)
        {
            if (!ctx.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(ctx, e);
            }
        }
        catch (StoreUnavailableException e)
        {
            LogStoreUnavailable(e.Message);
            if (!ctx.Response.HasStarted)
            {
                await Responses.WriteStatusAsync(ctx, ApiError.Unavailable(e.Message));
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private Task DispatchAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var method = ctx.Request.Method;
        if (type.IsVirtual)
        {
            return method == "POST" && info.Name is null && info.Subresource is null
                ? ReviewAsync(ctx, type)
                : throw ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {type.GroupResource})");
        }

        if (info.Subresource is not null)
        {
            return SubresourceAsync(ctx, info, type, info.Subresource);
        }

        if (info.Name is null)
        {
            return method switch
            {
                "GET" when IsTrue(ctx.Request.Query["watch"]) => WatchAsync(ctx, info, type),
                "GET" => ListAsync(ctx, info, type),
                "POST" => CreateAsync(ctx, info, type),
                "DELETE" => DeleteCollectionAsync(ctx, info, type),
                _ => throw ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {type.GroupResource})"),
            };
        }

        return method switch
        {
            "GET" when IsTrue(ctx.Request.Query["watch"]) => WatchOneAsync(ctx, info, type),
            "GET" => GetAsync(ctx, info, type),
            "PUT" => UpdateAsync(ctx, info, type, subresource: null),
            "PATCH" => PatchAsync(ctx, info, type, subresource: null),
            "DELETE" => DeleteAsync(ctx, info, type),
            _ => throw ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {type.GroupResource} {info.Name})"),
        };
    }

    /// <summary>The older single-object watch (<c>GET .../pods/p?watch=true</c>): a watch with a metadata.name field selector.</summary>
    private Task WatchOneAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var selector = ctx.Request.Query["fieldSelector"].ToString();
        var pinned = $"metadata.name={info.Name}";
        var query = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(ctx.Request.Query)
        {
            ["fieldSelector"] = selector.Length == 0 ? pinned : $"{selector},{pinned}",
        };
        ctx.Request.Query = new QueryCollection(query);
        return WatchAsync(ctx, info with { Name = null }, type);
    }

    private static ApiError NotFoundPath() =>
        new(404, "NotFound", "the server could not find the requested resource");

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";

    private static string Ns(RequestInfo info) => info.Namespace ?? "";

    private StoredObject Require(ResourceType type, RequestInfo info) =>
        store.Get(type.StorageResource, Ns(info), info.Name!) ?? throw ApiError.NotFound(type, info.Name!);

    [LoggerMessage(LogLevel.Warning, "Datastore unavailable: {Message}")]
    private partial void LogStoreUnavailable(string message);
}
