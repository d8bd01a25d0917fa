using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeWeb.Bench.Cluster;

/// <summary>Plain HTTPS calls as kubectl makes them: bearer token, JSON bodies, the cluster CA as the only root.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(string url, string token, string caPem, int connections)
    {
        var ca = X509Certificate2.CreateFromPem(caPem);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            SslOptions =
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { ca },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestVersion = HttpVersion.Version11;
    }

    public Task<string> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json, "application/json", HttpStatusCode.Created, HttpStatusCode.OK);

    public Task<string> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json, "application/json", HttpStatusCode.OK);

    public Task<string> PatchAsync(string path, string json) => SendAsync(HttpMethod.Patch, path, json, "application/merge-patch+json", HttpStatusCode.OK);

    public Task<string> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null, null, HttpStatusCode.OK);

    /// <summary>Deletes; a pod already gone counts as done.</summary>
    public Task<string> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null, null, HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.NotFound);

    /// <summary>Opens a watch and returns its line stream; the caller disposes the response.</summary>
    public async Task<HttpResponseMessage> WatchAsync(string path, CancellationToken ct)
    {
        var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        return response;
    }

    /// <summary>429s answered so far; each was retried after its Retry-After, as client-go does.</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    private int _throttled;

    private async Task<string> SendAsync(HttpMethod method, string path, string? json, string? contentType, params HttpStatusCode[] ok)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, contentType!);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
            }

            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 10)
            {
                Interlocked.Increment(ref _throttled);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            if (!ok.Contains(response.StatusCode))
            {
                throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {body}");
            }

            return body;
        }
    }

    public void Dispose() => _http.Dispose();
}
