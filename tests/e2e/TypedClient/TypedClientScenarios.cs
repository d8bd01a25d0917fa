using k8s;
using k8s.Models;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.TypedClient;

/// <summary>The official C# client (KubernetesClient) against the server, through the admin kubeconfig.</summary>
public abstract class TypedClientScenarios : IDisposable
{
    private readonly Kubernetes _client;

    protected TypedClientScenarios(ServerFixture server, ITestOutputHelper output)
    {
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
        output.WriteLine($"server {server.Server.Url}, log {server.LogPath}");
    }

    [Fact]
    public async Task ConfigMap_CreateListAndWatch_SeesTheChange()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ns = $"typed-{Guid.NewGuid():N}"[..16];
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: cts.Token);

        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "first", Labels = new Dictionary<string, string> { ["suite"] = "typed" } }, Data = new Dictionary<string, string> { ["k"] = "v" } },
            ns, cancellationToken: cts.Token);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(ns, created.Metadata.NamespaceProperty);

        var list = await _client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "suite=typed", cancellationToken: cts.Token);
        Assert.Equal("first", Assert.Single(list.Items).Metadata.Name);
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));

        // Watch from the list's resourceVersion: only later changes arrive.
        var events = new List<(WatchEventType Type, string Name, string? Value)>();
        var sawChange = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, cm) in _client.CoreV1.WatchListNamespacedConfigMapAsync(
                ns, resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 25, cancellationToken: cts.Token))
            {
                // The namespace-defaults controller may add kube-root-ca.crt meanwhile: only this test's objects count.
                if (cm.Metadata.Name is not ("first" or "second"))
                {
                    continue;
                }

                lock (events)
                {
                    events.Add((type, cm.Metadata.Name, cm.Data is { } d && d.TryGetValue("k", out var v) ? v : null));
                    if (events.Count >= 2)
                    {
                        sawChange.TrySetResult();
                        return;
                    }
                }
            }
        }, cts.Token);

        created.Data["k"] = "changed";
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "first", ns, cancellationToken: cts.Token);
        await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "second" }, Data = new Dictionary<string, string> { ["k"] = "2" } },
            ns, cancellationToken: cts.Token);

        await sawChange.Task.WaitAsync(cts.Token);
        await cts.CancelAsync();
        await Task.WhenAny(watching);
        lock (events)
        {
            Assert.Equal([(WatchEventType.Modified, "first", "changed"), (WatchEventType.Added, "second", "2")], events);
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        GC.SuppressFinalize(this);
    }
}

[Trait("Category", "E2E")]
[Trait("Datastore", "Sqlite")]
public sealed class SqliteTypedClientScenarios(SqliteServerFixture server, ITestOutputHelper output)
    : TypedClientScenarios(server, output), IClassFixture<SqliteServerFixture>;

[Trait("Category", "E2E")]
[Trait("Datastore", "Postgres")]
public sealed class PostgresTypedClientScenarios(PostgresServerFixture server, ITestOutputHelper output)
    : TypedClientScenarios(server, output), IClassFixture<PostgresServerFixture>;
