using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeWeb.Bench;

/// <summary>Drives the API over HTTPS as real clients do: bearer token, JSON bodies, one connection per client.</summary>
internal sealed class ApiLoad : IDisposable
{
    public const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    private readonly HttpClient _http;

    /// <param name="caPem">The server's CA (DATA_DIR/tls/ca.crt): the only root trusted, as in the kubeconfig.</param>
    public ApiLoad(string url, string token, int connections, string caPem)
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
        _http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestVersion = HttpVersion.Version11;
    }

    public async Task PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(path, content);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>GETs and reads the whole body; returns its length after checking it is the <paramref name="kind"/> expected.</summary>
    public async Task<long> GetAsync(string path, string kind, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        }

        if (Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200))) is var head && !head.Contains($"\"kind\":\"{kind}\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"GET {path}: expected a {kind}, got {head}");
        }

        return body.Length;
    }

    /// <summary>Runs <paramref name="op"/> for indices 0..count-1 from <paramref name="clients"/> workers, until done or the limit.</summary>
    public static async Task<LoadResult> RunAsync(int clients, int count, TimeSpan limit, Func<int, Task> op)
    {
        var next = -1;
        var sw = Stopwatch.StartNew();
        var latencies = new List<double>[clients];
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = [];
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && sw.Elapsed < limit)
            {
                var start = Stopwatch.GetTimestamp();
                await op(i);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        return new LoadResult(sw.Elapsed, [.. latencies.SelectMany(l => l).Order()]);
    }

    public void Dispose() => _http.Dispose();
}

internal sealed record LoadResult(TimeSpan Elapsed, double[] SortedLatencies)
{
    public int Count => SortedLatencies.Length;

    public double PerSecond => Count / Elapsed.TotalSeconds;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    private double Percentile(double q) => Count == 0 ? double.NaN : SortedLatencies[Math.Min(Count - 1, (int)Math.Ceiling(q * Count) - 1)];
}
