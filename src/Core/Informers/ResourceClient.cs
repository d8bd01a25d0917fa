using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Core.Informers;

/// <summary>One watch event as the informer sees it.</summary>
public sealed record WatchItem<T>(string Type, T? Object, V1Status? Status, string? BookmarkVersion);

/// <summary>A list page.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue);

/// <summary>The API answered with a Status error.</summary>
public sealed class ApiStatusException(V1Status status) : Exception(status.Message)
{
    public V1Status Status { get; } = status;

    public int Code => Status.Code ?? 0;
}

/// <summary>
/// Generic list and watch for any resource in the registry, over the official client's transport
/// (its HttpClient, TLS settings and credentials), so informers need no per-kind code. A request the
/// API answers with 429 (its in-flight limit) is sent again after the Retry-After it asked for, with
/// back-off, as client-go's requests do; the informers and the garbage collector use this client.
/// </summary>
public sealed class ResourceClient(Kubernetes client, TimeProvider? time = null)
{
    /// <summary>Attempts of one request while the API keeps answering 429 (client-go's default maxRetries is 10).</summary>
    public const int MaxAttempts = 10;

    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Kubernetes Client { get; } = client;

    /// <summary>Requests answered 429 and sent again since this client was made.</summary>
    public long ThrottledRetries => Interlocked.Read(ref _throttledRetries);

    private long _throttledRetries;

    public async Task<ListPage<T>> ListAsync<T>(ResourceType type, string? ns, string? labelSelector, string? fieldSelector,
        string? resourceVersion, int limit, string? continueToken, CancellationToken ct, JsonSerializerOptions? decode = null)
    {
        decode ??= KubeJson.Options;
        var query = Query(("labelSelector", labelSelector), ("fieldSelector", fieldSelector), ("resourceVersion", resourceVersion),
            ("limit", limit > 0 ? limit.ToString(System.Globalization.CultureInfo.InvariantCulture) : null), ("continue", continueToken));
        using var response = await SendAsync(HttpMethod.Get, Path(type, ns) + query, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        var meta = doc.RootElement.GetProperty("metadata");
        var items = new List<T>();
        if (doc.RootElement.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                items.Add(item.Deserialize<T>(decode)!);
            }
        }

        return new ListPage<T>(items,
            meta.TryGetProperty("resourceVersion", out var rv) ? rv.GetString() ?? "" : "",
            meta.TryGetProperty("continue", out var c) ? c.GetString() : null);
    }

    /// <summary>Streams watch events until the server ends the watch or <paramref name="ct"/> fires.</summary>
    public async IAsyncEnumerable<WatchItem<T>> WatchAsync<T>(ResourceType type, string? ns, string? labelSelector, string? fieldSelector,
        string resourceVersion, int timeoutSeconds, [EnumeratorCancellation] CancellationToken ct, JsonSerializerOptions? decode = null)
    {
        decode ??= KubeJson.Options;
        var query = Query(("watch", "true"), ("allowWatchBookmarks", "true"), ("labelSelector", labelSelector), ("fieldSelector", fieldSelector),
            ("resourceVersion", resourceVersion), ("timeoutSeconds", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var response = await SendAsync(HttpMethod.Get, Path(type, ns) + query, ct, streaming: true);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var reader = PipeReader.Create(stream);
        var events = new List<WatchItem<T>>();
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(ct);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    if (!line.IsEmpty)
                    {
                        events.Add(ParseEvent<T>(line, decode));
                    }
                }

                if (read.IsCompleted && !buffer.IsEmpty)
                {
                    events.Add(ParseEvent<T>(buffer, decode));
                    buffer = buffer.Slice(buffer.End);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var e in events)
                {
                    yield return e;
                }

                events.Clear();
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>
    /// One watch event line: its type, and its object decoded straight from the line's bytes (no
    /// string per line, no document of the whole event first).
    /// </summary>
    internal static WatchItem<T> ParseEvent<T>(ReadOnlySequence<byte> line, JsonSerializerOptions? decode = null)
    {
        var json = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        var reader = new Utf8JsonReader(json);
        string? eventType = null;
        var (start, end) = (-1, -1);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a watch event is not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                eventType = reader.GetString();
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                start = (int)reader.TokenStartIndex;
                reader.Skip();
                end = (int)reader.BytesConsumed;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (eventType is null || start < 0)
        {
            throw new JsonException("a watch event needs a type and an object");
        }

        var obj = json[start..end];
        switch (eventType)
        {
            case "ERROR":
                return new WatchItem<T>(eventType, default, JsonSerializer.Deserialize<V1Status>(obj, KubeJson.Options), null);
            case "BOOKMARK":
                using (var doc = JsonDocument.Parse(obj.ToArray()))
                {
                    return new WatchItem<T>(eventType, default, null, doc.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString());
                }

            default:
                return new WatchItem<T>(eventType, JsonSerializer.Deserialize<T>(obj, decode ?? KubeJson.Options), null, null);
        }
    }

    /// <summary>GET one object; null when it does not exist.</summary>
    public async Task<T?> GetAsync<T>(ResourceType type, string? ns, string name, CancellationToken ct)
        where T : class
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, $"{Path(type, ns)}/{Uri.EscapeDataString(name)}", ct);
            return await response.Content.ReadFromJsonAsync<T>(KubeJson.Options, ct);
        }
        catch (ApiStatusException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>DELETE one object; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(ResourceType type, string? ns, string name, V1DeleteOptions? options, CancellationToken ct)
    {
        try
        {
            var body = options is null ? null : JsonContent.Create(options, options: KubeJson.Options);
            using var response = await SendAsync(HttpMethod.Delete, $"{Path(type, ns)}/{Uri.EscapeDataString(name)}", ct, content: body);
            return true;
        }
        catch (ApiStatusException e) when (e.Code == 404)
        {
            return false;
        }
    }

    /// <summary>PATCH one object with a JSON body of the given patch content type; false when it is gone.</summary>
    public async Task<bool> PatchAsync(ResourceType type, string? ns, string name, string patch, string contentType, CancellationToken ct,
        string? subresource = null)
    {
        try
        {
            var content = new StringContent(patch);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            var suffix = subresource is null ? "" : "/" + subresource;
            using var response = await SendAsync(HttpMethod.Patch, $"{Path(type, ns)}/{Uri.EscapeDataString(name)}{suffix}", ct, content: content);
            return true;
        }
        catch (ApiStatusException e) when (e.Code == 404)
        {
            return false;
        }
    }

    public static string Path(ResourceType type, string? ns)
    {
        var prefix = type.Group.Length == 0 ? $"api/{type.Version}" : $"apis/{type.Group}/{type.Version}";
        return type.Namespaced && !string.IsNullOrEmpty(ns) ? $"{prefix}/namespaces/{ns}/{type.Plural}" : $"{prefix}/{type.Plural}";
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relative, CancellationToken ct, bool streaming = false,
        HttpContent? content = null)
    {
        HttpResponseMessage response;
        for (var attempt = 1; ; attempt++)
        {
            // A request message is sent once; its (buffered) content can be sent again.
            var request = new HttpRequestMessage(method, new Uri(Client.BaseUri, relative)) { Content = content };
            request.Headers.Accept.ParseAdd("application/json");
            if (Client.Credentials is not null)
            {
                await Client.Credentials.ProcessHttpRequestAsync(request, ct);
            }

            response = await Client.HttpClient.SendAsync(request, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, ct);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= MaxAttempts)
            {
                break;
            }

            var delay = ThrottleDelay(response, attempt);
            response.Dispose();
            Interlocked.Increment(ref _throttledRetries);
            await Task.Delay(delay, _time, ct);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            V1Status? status = null;
            try
            {
                status = JsonSerializer.Deserialize<V1Status>(body, KubeJson.Options);
            }
            catch (JsonException)
            {
            }

            throw new ApiStatusException(status ?? new V1Status { Code = (int)response.StatusCode, Message = body, Reason = response.StatusCode.ToString() });
        }
    }

    /// <summary>
    /// The server's Retry-After (1 s when it sent none), and never less than a back-off that doubles
    /// from 100 ms with each attempt, up to 30 s, so a server that keeps refusing is asked less and less often.
    /// </summary>
    internal static TimeSpan ThrottleDelay(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => TimeSpan.FromSeconds(1),
        };
        var backoff = TimeSpan.FromTicks(MinBackoff.Ticks << Math.Min(attempt - 1, 16));
        var delay = retryAfter > backoff ? retryAfter : backoff;
        return delay > MaxBackoff ? MaxBackoff : delay;
    }

    private static string Query(params (string Key, string? Value)[] pairs)
    {
        var parts = pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={WebUtility.UrlEncode(p.Value)}").ToArray();
        return parts.Length == 0 ? "" : "?" + string.Join('&', parts);
    }
}
