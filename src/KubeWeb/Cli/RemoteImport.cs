using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using KubeWeb.Agent.Connection;
using KubeWeb.Api.Images;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Host.Cli;

/// <summary>
/// <c>kubeweb images import FILE --server URL --token-file F --node N</c>: uploads each archive to
/// <c>POST /apis/images.kubeweb.io/v1alpha1/nodes/N/import</c>, which streams it to that node's agent.
/// </summary>
internal static class RemoteImport
{
    public static async Task<int> RunAsync(Uri server, string token, string node, FileInfo? caFile, FileInfo[] files, string? baseName, CancellationToken ct)
    {
        X509Certificate2? ca = null;
        if (caFile is not null)
        {
            ca = X509CertificateLoader.LoadCertificateFromFile(caFile.FullName);
        }
        else
        {
            await Console.Error.WriteLineAsync("warning: no --certificate-authority given; the API server's certificate is not verified");
        }

        var settings = new AgentConnectionSettings { Server = server, Token = token, CertificateAuthority = ca };
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, errors) => settings.ValidateServerCertificate(cert, errors) };
        using var http = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromHours(1) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var file in files)
        {
            if (!file.Exists)
            {
                await Console.Error.WriteLineAsync($"error: {file.FullName}: no such file");
                return 1;
            }

            var path = $"/apis/{ImageImportEndpoints.Group}/{ImageImportEndpoints.Version}/nodes/{Uri.EscapeDataString(node)}/import?fileName={Uri.EscapeDataString(file.Name)}";
            if (baseName is { Length: > 0 })
            {
                path += $"&baseName={Uri.EscapeDataString(baseName)}";
            }

            await using var body = file.OpenRead();
            using var content = new StreamContent(body, 64 * 1024);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await http.PostAsync(path, content, ct);
            var json = await response.Content.ReadAsByteArrayAsync(ct);
            string? message;
            try
            {
                message = KubeJson.Deserialize<k8s.Models.V1Status>(json)?.Message;
            }
            catch (System.Text.Json.JsonException)
            {
                message = System.Text.Encoding.UTF8.GetString(json);
            }

            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"error: {message ?? response.ReasonPhrase}");
                return 1;
            }

            Console.Write(message);
            Console.WriteLine($"imported {file.Name} on node {node}");
        }

        return 0;
    }
}
