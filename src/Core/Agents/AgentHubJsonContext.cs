using System.Text.Json.Serialization;

namespace KubeWeb.Core.Agents;

/// <summary>
/// Source-generated JSON metadata for every message of the agent hub (<see cref="AgentHubProtocol"/>,
/// <see cref="AgentStreamProtocol"/>), in SignalR's JSON protocol shape (camelCase names, read
/// case-insensitively, enums as numbers). The node agent puts it first in its hub protocol's
/// resolver chain: the NativeAOT agent (kubeweb-agent) cannot build this metadata by reflection.
/// A message type added to the protocol must be listed here.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(NodeRegistration))]
[JsonSerializable(typeof(RegistrationResult))]
[JsonSerializable(typeof(NodeStatusUpdate))]
[JsonSerializable(typeof(PodAssignmentBatch))]
[JsonSerializable(typeof(PodChange))]
[JsonSerializable(typeof(IReadOnlyList<PodStatusReport>))]
[JsonSerializable(typeof(IReadOnlyList<PodStatusResult>))]
[JsonSerializable(typeof(IReadOnlyList<PodEventReport>))]
[JsonSerializable(typeof(PodObjectRequest))]
[JsonSerializable(typeof(PodObjectResult))]
[JsonSerializable(typeof(PodTokenRequest))]
[JsonSerializable(typeof(PodTokenResult))]
[JsonSerializable(typeof(IReadOnlyList<LocalVolume>))]
[JsonSerializable(typeof(LocalVolume))]
[JsonSerializable(typeof(NodeStatsReport))]
[JsonSerializable(typeof(MirrorPodRequest))]
[JsonSerializable(typeof(MirrorPodResult))]
[JsonSerializable(typeof(MirrorPodDelete))]
[JsonSerializable(typeof(PodStreamRequest))]
[JsonSerializable(typeof(StreamFrame))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(Dictionary<string, int>))]
public sealed partial class AgentHubJsonContext : JsonSerializerContext;
