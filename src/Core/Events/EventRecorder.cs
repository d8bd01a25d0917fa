using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Core.Events;

/// <summary>
/// Emits core/v1 Events about objects, as client-go's record.EventRecorder: a repeat of the same
/// reason and message for the same object within ten minutes bumps <c>count</c> and
/// <c>lastTimestamp</c> on the existing Event instead of creating a new one. Failures are logged,
/// never thrown: events are best-effort.
/// </summary>
public sealed partial class EventRecorder(IKubernetes client, string component, TimeProvider time, ILogger<EventRecorder> log, string? host = null)
{
    private readonly Dictionary<string, (string Name, string Namespace, int Count, DateTimeOffset Last)> _recent = [];
    private readonly Lock _lock = new();

    public const string Normal = "Normal";
    public const string Warning = "Warning";

    public void Record(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message) =>
        _ = RecordAsync(obj, type, reason, message, CancellationToken.None);

    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message, CancellationToken ct)
    {
        var ns = string.IsNullOrEmpty(obj.Metadata.NamespaceProperty) ? "default" : obj.Metadata.NamespaceProperty;
        var now = time.GetUtcNow();
        var key = $"{obj.Metadata.Uid}/{type}/{reason}/{message}";
        (string Name, string Namespace, int Count, DateTimeOffset Last) previous;
        bool repeat;
        lock (_lock)
        {
            repeat = _recent.TryGetValue(key, out previous) && now - previous.Last < TimeSpan.FromMinutes(10);
            if (_recent.Count > 4096)
            {
                _recent.Clear();
            }
        }

        try
        {
            if (repeat)
            {
                var count = previous.Count + 1;
                var patch = new V1Patch($$"""{"count":{{count}},"lastTimestamp":"{{now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}""", V1Patch.PatchType.MergePatch);
                await client.CoreV1.PatchNamespacedEventAsync(patch, previous.Name, previous.Namespace, cancellationToken: ct);
                lock (_lock)
                {
                    _recent[key] = (previous.Name, previous.Namespace, count, now);
                }

                return;
            }

            var stamp = now.UtcDateTime;
            var e = new Corev1Event
            {
                Metadata = new V1ObjectMeta
                {
                    Name = EventNames.For(obj.Metadata.Name, now),
                    NamespaceProperty = ns,
                },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = obj.ApiVersion,
                    Kind = obj.Kind,
                    Name = obj.Metadata.Name,
                    NamespaceProperty = obj.Metadata.NamespaceProperty,
                    Uid = obj.Metadata.Uid,
                    ResourceVersion = obj.Metadata.ResourceVersion,
                },
                Reason = reason,
                Message = message,
                Type = type,
                Count = 1,
                FirstTimestamp = new DateTime(stamp.Ticks - (stamp.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc),
                LastTimestamp = new DateTime(stamp.Ticks - (stamp.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc),
                Source = new V1EventSource { Component = component, Host = host },
                ReportingComponent = component,
                ReportingInstance = host ?? "",
            };
            var created = await client.CoreV1.CreateNamespacedEventAsync(e, ns, cancellationToken: ct);
            lock (_lock)
            {
                _recent[key] = (created.Metadata.Name, ns, 1, now);
            }
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            LogEventFailed(reason, obj.Metadata.Name, ex.Message);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Could not record event {Reason} for {Name}: {Error}")]
    private partial void LogEventFailed(string reason, string name, string error);
}
