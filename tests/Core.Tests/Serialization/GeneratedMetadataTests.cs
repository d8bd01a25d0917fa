using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Core.Tests.Serialization;

/// <summary>
/// The NativeAOT agent (kubeweb-agent) reads and writes through source-generated metadata, the
/// JIT processes through reflection: both must produce and accept the same JSON.
/// </summary>
public sealed class GeneratedMetadataTests
{
    private static readonly JsonSerializerOptions Generated = KubeJson.CreateOptions(generatedMetadata: true);
    private static readonly JsonSerializerOptions Reflection = KubeJson.CreateOptions(generatedMetadata: false);

    private static V1Pod Pod() => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            NamespaceProperty = "default",
            Uid = "u-1",
            CreationTimestamp = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            Labels = new Dictionary<string, string> { ["app"] = "web" },
            Annotations = new Dictionary<string, string> { ["note"] = "<&>" },
        },
        Spec = new V1PodSpec
        {
            NodeName = "n1",
            TerminationGracePeriodSeconds = 5,
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = "busybox",
                    Command = ["sleep", "3600"],
                    Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi"), ["cpu"] = new("250m") } },
                    LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = "http", Path = "/healthz" }, PeriodSeconds = 3 },
                    ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 8080 } },
                    Ports = [new V1ContainerPort { ContainerPort = 8080, Name = "http", Protocol = "TCP" }],
                },
            ],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            StartTime = new DateTime(2026, 1, 2, 3, 4, 6, DateTimeKind.Utc),
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "app",
                    Ready = true,
                    RestartCount = 2,
                    Image = "busybox",
                    ImageID = "sha256:abc",
                    State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = new DateTime(2026, 1, 2, 3, 4, 7, DateTimeKind.Utc) } },
                },
            ],
        },
    };

    [Fact]
    public void Pod_SerializesTheSameWithGeneratedAndReflectionMetadata()
    {
        var generated = JsonSerializer.SerializeToUtf8Bytes(Pod(), Generated);
        var reflection = JsonSerializer.SerializeToUtf8Bytes(Pod(), Reflection);

        Assert.Equal(Encoding.UTF8.GetString(reflection), Encoding.UTF8.GetString(generated));
        Assert.Contains("\"memory\":\"64Mi\"", Encoding.UTF8.GetString(generated));
        Assert.Contains("\"port\":\"http\"", Encoding.UTF8.GetString(generated));
        Assert.Contains("\"creationTimestamp\":\"2026-01-02T03:04:05Z\"", Encoding.UTF8.GetString(generated));
    }

    [Fact]
    public void Pod_ReadThroughGeneratedMetadata_RoundTrips()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(Pod(), Reflection);
        var pod = JsonSerializer.Deserialize<V1Pod>(json, Generated)!;

        Assert.Equal(8080, pod.Spec.Containers[0].ReadinessProbe.TcpSocket.Port.ToInt());
        Assert.Equal("250m", pod.Spec.Containers[0].Resources.Limits["cpu"].ToString());
        Assert.Equal(2, pod.Status.ContainerStatuses[0].RestartCount);
        Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(pod, Reflection)));
    }

    [Fact]
    public void TypesOutsideTheContext_FallBackToReflection_AndStatusKeepsItsWireShape()
    {
        Assert.Null(KubeModelsJsonContext.Default.GetTypeInfo(typeof(V1ConfigMapList)));
        var list = new V1ConfigMapList { Items = [new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["k"] = "v" } }] };
        Assert.Equal(JsonSerializer.Serialize(list, Reflection), JsonSerializer.Serialize(list, Generated));

        // The V1Status modifier applies to the generated metadata too: no client-side hasObject.
        var status = new V1Status { Code = 404, Reason = "NotFound", Message = "gone", Status = "Failure" };
        Assert.DoesNotContain("hasObject", JsonSerializer.Serialize(status, Generated), StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(status, Reflection), JsonSerializer.Serialize(status, Generated));
    }

    [Fact]
    public void HubMessages_MatchSignalRsReflectionShape()
    {
        // SignalR's JSON protocol defaults: camelCase names, enums as numbers.
        var reflection = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        var generated = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = AgentHubJsonContext.Default };
        var batch = new PodAssignmentBatch(true, 42, [new PodChange(PodChangeType.Upsert, "default", "web", "u-1", "{}")]);
        var registration = new RegistrationResult("node-uid", "10.42.1.0/24", 40, 10);

        Assert.Equal(JsonSerializer.Serialize(batch, reflection), JsonSerializer.Serialize(batch, generated));
        Assert.Equal(registration, JsonSerializer.Deserialize<RegistrationResult>(JsonSerializer.Serialize(registration, reflection), generated));
        Assert.Equal("{\"Width\":80,\"Height\":24}", Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, int> { ["Width"] = 80, ["Height"] = 24 }, AgentHubJsonContext.Default.DictionaryStringInt32)));
    }
}
