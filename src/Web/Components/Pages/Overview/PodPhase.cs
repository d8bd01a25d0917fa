using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace KubeWeb.Web.Components.Pages.Overview;

/// <summary>
/// A pod read for its phase only: the overview counts thousands of pods, and skipping the spec and
/// container statuses while reading keeps its first render fast.
/// </summary>
public sealed class PodPhase : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("status")]
    public PhaseStatus? Status { get; set; }

    public sealed class PhaseStatus
    {
        [JsonPropertyName("phase")]
        public string? Phase { get; set; }
    }
}
