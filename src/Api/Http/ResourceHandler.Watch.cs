using System.Buffers;
using System.Text.Json;
using k8s;
using WatchEventType = KubeWeb.Api.Storage.WatchEventType;
using k8s.Models;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Http;

public sealed partial class ResourceHandler
{
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Streams watch events as newline-delimited JSON, flushed per event. Starts from the requested
    /// resourceVersion (or the current state when it is empty or "0"), applies the selectors to every
    /// event (an object that stops matching is sent as DELETED, one that starts matching as ADDED),
    /// and ends at <c>timeoutSeconds</c>.
    /// </summary>
    private async Task WatchAsync(HttpContext ctx, RequestInfo info, ResourceType type)
    {
        var request = ctx.Request;
        var query = ListQuery.From(request, info.Namespace, type, strategies.For(type));
        var rvText = request.Query["resourceVersion"].ToString();
        long from = 0;
        if (rvText.Length > 0 && !long.TryParse(rvText, out from))
        {
            throw ApiError.BadRequest($"invalid resource version \"{rvText}\"");
        }

        var sendInitial = IsTrue(request.Query["sendInitialEvents"]);
        var bookmarks = IsTrue(request.Query["allowWatchBookmarks"]);
        var table = TableWriter.Wants(request.Headers.Accept) ? printers.For(type) : null;
        var include = TableWriter.ParseInclude(request.Query["includeObject"]);
        var timeout = int.TryParse(request.Query["timeoutSeconds"], out var t) && t > 0
            ? TimeSpan.FromSeconds(t)
            : TimeSpan.FromMinutes(30 + Random.Shared.Next(30));

        var registration = store.Cache.Register(type.StorageResource, sendInitial ? 0 : from);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = table is null ? Responses.Json : TableWriter.ContentType;
        ctx.Response.Headers.CacheControl = "no-cache, private";
        var writer = new WatchStreamWriter(ctx, type, table, include, time);

        if (registration.IsExpired)
        {
            await writer.WriteErrorAsync(ApiError.Gone($"too old resource version: {from} ({registration.Revision})"));
            return;
        }

        if (registration.IsTooLarge)
        {
            await writer.WriteErrorAsync(new ApiError(504, "Timeout", $"Too large resource version: {from}, current: {registration.Revision}"));
            return;
        }

        var watcher = registration.Watcher!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        deadline.CancelAfter(timeout);
        var lastRevision = registration.Revision;
        try
        {
            await ctx.Response.StartAsync(ctx.RequestAborted);
            if (from == 0 || sendInitial)
            {
                var initial = registration.Initial.Where(query.Matches).ToList();
                initial.Sort(static (a, b) => a.ResourceVersion.CompareTo(b.ResourceVersion));
                foreach (var o in initial)
                {
                    await writer.WriteEventAsync("ADDED", o, Served(type, o));
                }

                if (sendInitial && bookmarks)
                {
                    await writer.WriteBookmarkAsync(registration.Revision, initialEventsEnd: true);
                }
            }
            else
            {
                lastRevision = from;
                if (registration.LogTo > 0)
                {
                    foreach (var e in await store.ReadLogAsync(type.StorageResource, registration.LogFrom, registration.LogTo, deadline.Token))
                    {
                        await SendAsync(e);
                    }
                }

                foreach (var e in registration.Backlog)
                {
                    await SendAsync(e);
                }
            }

            await writer.FlushAsync();
            var reader = watcher.Channel.Reader;
            while (!deadline.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                tick.CancelAfter(BookmarkInterval);
                try
                {
                    while (reader.TryRead(out var e))
                    {
                        await SendAsync(e);
                    }

                    await writer.FlushAsync();
                    if (!await reader.WaitToReadAsync(tick.Token))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    if (bookmarks)
                    {
                        await writer.WriteBookmarkAsync(lastRevision, initialEventsEnd: false);
                        await writer.FlushAsync();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout or client gone: end the stream cleanly.
        }
        catch (WatcherTooSlowException)
        {
            // The client re-lists, as after any closed watch.
        }
        finally
        {
            store.Cache.Unregister(watcher);
        }

        async Task SendAsync(StoreEvent e)
        {
            lastRevision = Math.Max(lastRevision, e.Revision);
            var now = query.Matches(e.Object);
            var before = e.Previous is not null && query.Matches(e.Previous);
            string? kind = e.Type switch
            {
                WatchEventType.Added => now ? "ADDED" : null,
                WatchEventType.Deleted => (e.Previous is null ? now : before) ? "DELETED" : null,
                _ when e.Previous is null => now ? "MODIFIED" : null,
                _ => (before, now) switch
                {
                    (true, true) => "MODIFIED",
                    (false, true) => "ADDED",
                    (true, false) => "DELETED",
                    _ => null,
                },
            };
            if (kind is not null)
            {
                await writer.WriteEventAsync(kind, e.Object, Served(type, e.Object));
            }
        }
    }
}

/// <summary>Formats watch events (plain objects or one-row Tables) onto the response stream.</summary>
internal sealed class WatchStreamWriter(HttpContext ctx, ResourceType type, Printing.ITablePrinter? table, IncludeObject include, TimeProvider time)
{
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private bool _columnsSent;

    private static readonly Dictionary<string, byte[]> Prefixes = new[] { "ADDED", "MODIFIED", "DELETED" }
        .ToDictionary(t => t, t => System.Text.Encoding.UTF8.GetBytes($$"""{"type":"{{t}}","object":"""));

    private static readonly byte[] Suffix = "}\n"u8.ToArray();

    public async Task WriteEventAsync(string eventType, StoredObject o, byte[] json)
    {
        if (table is null && Prefixes.TryGetValue(eventType, out var prefix))
        {
            // The stored encoding goes out as it is, between a fixed prefix and suffix: the bytes a
            // JSON writer would produce, without copying each event into a buffer of its own first.
            await ctx.Response.Body.WriteAsync(prefix, ctx.RequestAborted);
            await ctx.Response.Body.WriteAsync(json, ctx.RequestAborted);
            await ctx.Response.Body.WriteAsync(Suffix, ctx.RequestAborted);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(json.Length + 64);
        await using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", eventType);
            w.WritePropertyName("object");
            if (table is null)
            {
                w.WriteRawValue(json, skipInputValidation: true);
            }
            else
            {
                TableWriter.Write(w, table, [(o.Object, json)], time.GetUtcNow(), include, !_columnsSent, o.ResourceVersion.ToString(), null);
                _columnsSent = true;
            }

            w.WriteEndObject();
        }

        await ctx.Response.Body.WriteAsync(buffer.WrittenMemory, ctx.RequestAborted);
        await ctx.Response.Body.WriteAsync(Newline, ctx.RequestAborted);
    }

    public async Task WriteBookmarkAsync(long revision, bool initialEventsEnd)
    {
        var meta = new V1ObjectMeta { ResourceVersion = revision.ToString() };
        if (initialEventsEnd)
        {
            meta.Annotations = new Dictionary<string, string> { ["k8s.io/initial-events-end"] = "true" };
        }

        var bookmark = new { type = "BOOKMARK", @object = new { kind = type.Kind, apiVersion = type.ApiVersion, metadata = meta } };
        await ctx.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(bookmark, Core.Serialization.KubeJson.Options), ctx.RequestAborted);
        await ctx.Response.Body.WriteAsync(Newline, ctx.RequestAborted);
    }

    public async Task WriteErrorAsync(ApiError error)
    {
        await ctx.Response.StartAsync(ctx.RequestAborted);
        var e = new { type = "ERROR", @object = error.ToStatus() };
        await ctx.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(e, Core.Serialization.KubeJson.Options), ctx.RequestAborted);
        await ctx.Response.Body.WriteAsync(Newline, ctx.RequestAborted);
        await FlushAsync();
    }

    public Task FlushAsync() => ctx.Response.Body.FlushAsync(ctx.RequestAborted);
}
