using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeWeb.Controllers.Tests;

/// <summary>What the integration tests do against the real server besides waiting: a namespace of their own, "is it gone yet".</summary>
internal static class ApiObjects
{
    /// <summary>Creates a namespace named <paramref name="prefix"/> plus a random suffix, and returns its name.</summary>
    public static async Task<string> NamespaceAsync(IKubernetes client, string prefix)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..10];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    /// <summary>True once reading the object answers 404.</summary>
    public static async Task<bool> GoneAsync<T>(Func<Task<T>> read)
    {
        try
        {
            await read();
            return false;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }
    }
}
