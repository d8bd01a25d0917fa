using System.Text.Json;
using k8s.Models;
using KubeWeb.Core.Serialization;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Http;

/// <summary>Writes API responses: raw stored JSON, typed objects and Status bodies, never ASP.NET's defaults.</summary>
public static class Responses
{
    public const string Json = "application/json";

    public static async Task WriteRawAsync(HttpContext ctx, int code, ReadOnlyMemory<byte> json, string contentType = Json)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = json.Length;
        await ctx.Response.Body.WriteAsync(json, ctx.RequestAborted);
    }

    public static Task WriteAsync<T>(HttpContext ctx, int code, T value, string contentType = Json) =>
        WriteRawAsync(ctx, code, JsonSerializer.SerializeToUtf8Bytes(value, KubeJson.Options), contentType);

    public static Task WriteAsync(HttpContext ctx, int code, object value, Type type) =>
        WriteRawAsync(ctx, code, JsonSerializer.SerializeToUtf8Bytes(value, type, KubeJson.Options));

    public static Task WriteStatusAsync(HttpContext ctx, ApiError error) =>
        WriteAsync(ctx, error.Code, error.ToStatus());

    public static V1Status Success(string name, string group, string kind, string? uid) => new()
    {
        ApiVersion = "v1",
        Kind = "Status",
        Metadata = new V1ListMeta(),
        Status = "Success",
        Details = new V1StatusDetails { Name = name, Group = group, Kind = kind, Uid = uid },
    };

    /// <summary>Adds a <c>Warning: 299</c> header as kube-apiserver does for field validation in Warn mode.</summary>
    public static void AddWarning(HttpContext ctx, string text) =>
        ctx.Response.Headers.Append("Warning", $"299 - \"{text.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
}
