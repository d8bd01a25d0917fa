using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Web.Api;

/// <summary>
/// What the console asks of the API, as one signed-in user, over the official client's transport
/// (its HttpClient, TLS and credentials). Failures surface as <see cref="ApiStatusException"/>
/// (the API answered) or <see cref="HttpRequestException"/> (it could not be reached).
/// </summary>
public sealed class ConsoleApi(Kubernetes client)
{
    public const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";
    public const string FieldManager = "kubeweb-console";

    public Kubernetes Client { get; } = client;

    public ResourceClient Resources { get; } = new(client);

    public async Task<KubeTable> ListTableAsync(ResourceType type, string? ns, string? labelSelector, string? fieldSelector, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, ResourceClient.Path(type, ns) + Query(("labelSelector", labelSelector), ("fieldSelector", fieldSelector)),
            TableAccept, null, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        return KubeTableReader.Read(doc.RootElement);
    }

    /// <summary>Table rows as they change after <paramref name="resourceVersion"/>, until the server ends the watch or <paramref name="ct"/> fires.</summary>
    public async IAsyncEnumerable<KubeTableEvent> WatchTableAsync(ResourceType type, string? ns, string? labelSelector, string? fieldSelector,
        string resourceVersion, [EnumeratorCancellation] CancellationToken ct)
    {
        var query = Query(("watch", "true"), ("allowWatchBookmarks", "true"), ("labelSelector", labelSelector), ("fieldSelector", fieldSelector),
            ("resourceVersion", resourceVersion),
            ("timeoutSeconds", "1800"));
        using var response = await SendAsync(HttpMethod.Get, ResourceClient.Path(type, ns) + query, TableAccept, null, ct, streaming: true);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            yield return KubeTableReader.ReadEvent(doc.RootElement);
        }
    }

    /// <summary>Raw watch events (type, object) after <paramref name="resourceVersion"/>, narrowed by a field selector.</summary>
    public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchJsonAsync(ResourceType type, string? ns, string? fieldSelector,
        string resourceVersion, [EnumeratorCancellation] CancellationToken ct)
    {
        var query = Query(("watch", "true"), ("fieldSelector", fieldSelector), ("resourceVersion", resourceVersion), ("timeoutSeconds", "1800"));
        using var response = await SendAsync(HttpMethod.Get, ResourceClient.Path(type, ns) + query, "application/json", null, ct, streaming: true);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length > 0 && JsonNode.Parse(line) is JsonObject e && e["object"] is JsonObject o)
            {
                yield return ((string?)e["type"] ?? "", o);
            }
        }
    }

    /// <summary>The object as JSON, exactly as the API returns it.</summary>
    public async Task<JsonObject> GetJsonAsync(ResourceType type, string? ns, string name, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{ResourceClient.Path(type, ns)}/{Uri.EscapeDataString(name)}", "application/json", null, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>A GET of any API path (relative to the server), as text; aggregated APIs such as metrics.k8s.io.</summary>
    public async Task<string> GetRawAsync(string relative, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, relative, "application/json", null, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>Server-side apply of one object (JSON is YAML); <paramref name="dryRun"/> validates without storing.</summary>
    public async Task<JsonObject> ApplyAsync(ResourceType type, string? ns, string name, JsonObject body, bool dryRun, bool force, CancellationToken ct)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        var query = Query(("fieldManager", FieldManager), ("fieldValidation", "Strict"), ("dryRun", dryRun ? "All" : null), ("force", force ? "true" : null));
        using var response = await SendAsync(HttpMethod.Patch, $"{ResourceClient.Path(type, ns)}/{Uri.EscapeDataString(name)}{query}", "application/json", content, ct);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
    }

    public async Task DeleteAsync(ResourceType type, string? ns, string name, string propagation, CancellationToken ct)
    {
        var options = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = propagation };
        var content = new StringContent(options.ToJsonString(), Encoding.UTF8, "application/json");
        using var _ = await SendAsync(HttpMethod.Delete, $"{ResourceClient.Path(type, ns)}/{Uri.EscapeDataString(name)}", "application/json", content, ct);
    }

    /// <summary>Sets spec.replicas through the scale subresource.</summary>
    public async Task ScaleAsync(ResourceType type, string? ns, string name, int replicas, CancellationToken ct)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
        var content = new StringContent(patch.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        using var _ = await SendAsync(HttpMethod.Patch, $"{ResourceClient.Path(type, ns)}/{Uri.EscapeDataString(name)}/scale", "application/json", content, ct);
    }

    /// <summary>PATCH with the given patch type (merge, strategic merge or JSON patch); returns the object as stored.</summary>
    public async Task<JsonObject> PatchAsync(ResourceType type, string? ns, string name, JsonNode patch, string contentType, CancellationToken ct)
    {
        var content = new StringContent(patch.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var query = Query(("fieldManager", FieldManager));
        using var response = await SendAsync(HttpMethod.Patch, $"{ResourceClient.Path(type, ns)}/{Uri.EscapeDataString(name)}{query}", "application/json", content, ct);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
    }

    /// <summary>POST a new object; returns it as stored.</summary>
    public async Task<JsonObject> CreateAsync(ResourceType type, string? ns, JsonObject body, CancellationToken ct)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var query = Query(("fieldManager", FieldManager));
        using var response = await SendAsync(HttpMethod.Post, ResourceClient.Path(type, ns) + query, "application/json", content, ct);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
    }

    /// <summary>POST pods/{name}/eviction (policy/v1), as <c>kubectl drain</c> does; a 429 means a disruption budget blocks it for now.</summary>
    public async Task EvictAsync(string ns, string name, CancellationToken ct)
    {
        var eviction = new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "Eviction",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        };
        var content = new StringContent(eviction.ToJsonString(), Encoding.UTF8, "application/json");
        var pods = ConsoleKinds.ByPlural("pods")!.Type;
        using var _ = await SendAsync(HttpMethod.Post, $"{ResourceClient.Path(pods, ns)}/{Uri.EscapeDataString(name)}/eviction", "application/json", content, ct);
    }

    /// <summary>Proves the token: any authenticated call that every user may make.</summary>
    public async Task VerifyAsync(CancellationToken ct)
    {
        using var _ = await SendAsync(HttpMethod.Get, "api", "application/json", null, ct);
    }

    /// <summary>
    /// Whether the API serves: its readiness, then a one-item namespace list (a read every user's
    /// console makes anyway), so a server that answers but cannot serve objects counts as down.
    /// </summary>
    public async Task ProbeAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var _ = await SendAsync(HttpMethod.Get, "readyz", "text/plain", null, timeout.Token);
        using var __ = await SendAsync(HttpMethod.Get, "api/v1/namespaces?limit=1", "application/json", null, timeout.Token);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relative, string accept, HttpContent? content, CancellationToken ct,
        bool streaming = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(Client.BaseUri, relative)) { Content = content };
        request.Headers.Accept.ParseAdd(accept);
        if (Client.Credentials is not null)
        {
            await Client.Credentials.ProcessHttpRequestAsync(request, ct);
        }

        var response = await Client.HttpClient.SendAsync(request, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, ct);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new ApiStatusException(ApiErrors.ParseStatus(body, response.StatusCode));
        }
    }

    private static string Query(params (string Key, string? Value)[] pairs)
    {
        var parts = pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={WebUtility.UrlEncode(p.Value)}").ToArray();
        return parts.Length == 0 ? "" : "?" + string.Join('&', parts);
    }

    internal static JsonSerializerOptions Json => KubeJson.Options;
}
