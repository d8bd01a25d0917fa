using System.Text;
using System.Threading.Channels;
using k8s.Models;
using KubeWeb.Agent.Pods;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.StaticPods;

/// <summary>
/// Runs the pods whose manifests sit in the node's manifest folder (<c>--pod-manifest-path</c>),
/// without the API: its own pod workers run them from the files, and every round the API gets a
/// mirror pod of each (recreated if a user deleted it; the containers keep running). A new file
/// starts a pod, an edited one replaces it (new hash, new uid), a removed one stops it and deletes
/// its mirror. The folder is rescanned on file events and every <see cref="RescanInterval"/>.
/// </summary>
internal sealed partial class StaticPodManager : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _nodeName;
    private readonly PodWorkers _workers;
    private readonly MirrorStatusSink _statuses;
    private readonly IMirrorPodClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, string> _invalid = new(StringComparer.Ordinal);
    private readonly HashSet<(string Namespace, string Name)> _staleMirrors = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Namespace, string Name), bool> _seenMirrors = new();
    private readonly Dictionary<(string Namespace, string Name), DateTimeOffset> _recreateAfter = [];
    private Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private volatile HashSet<string> _uids = new(StringComparer.Ordinal);
    private FileSystemWatcher? _watcher;

    public StaticPodManager(string dir, string nodeName, PodWorkerContext context, IMirrorPodClient client, ILogger log)
    {
        _dir = dir;
        _nodeName = nodeName;
        _statuses = new MirrorStatusSink(context.Statuses);
        _workers = new PodWorkers(context with { Statuses = _statuses });
        _client = client;
        _time = context.Time;
        _log = log;
    }

    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a mirror a user deleted stays absent before it is created again: long enough for a
    /// waiting <c>kubectl delete</c> to see it gone rather than replaced under the same name.
    /// </summary>
    public TimeSpan MirrorRecreateDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>True for the uid of a static pod this node runs (the API-driven workers must leave it alone).</summary>
    public bool IsStatic(string uid) => _uids.Contains(uid);

    /// <summary>
    /// A mirror pod the API lists for this node. One whose static pod no longer exists (its file was
    /// removed while the agent was down) is deleted on the next round, as the kubelet deletes orphaned mirrors.
    /// </summary>
    public void MirrorSeen(string ns, string name)
    {
        _seenMirrors[(ns, name)] = true;
        _wake.Writer.TryWrite(true);
    }

    /// <summary>The mirror pod uid the API knows a static pod by (its usage is reported under it).</summary>
    public string? MirrorUidFor(string staticUid) => IsStatic(staticUid) ? _statuses.MirrorUidFor(staticUid) : null;

    /// <summary>The static pod behind a mirror pod uid (logs, exec, port-forward name the mirror).</summary>
    public string? StaticUidFor(string mirrorUid) => _statuses.StaticUidFor(mirrorUid);

    /// <summary>Reads the folder and starts or stops pods to match it; called once before the node connects, then by <see cref="RunAsync"/>.</summary>
    public async Task ScanAsync(CancellationToken ct)
    {
        var desired = Read();
        var changes = new List<PodChange>();
        foreach (var (file, old) in _pods)
        {
            if (!desired.TryGetValue(file, out var now) || now.Metadata.Uid != old.Metadata.Uid)
            {
                changes.Add(new PodChange(PodChangeType.Delete, old.Metadata.NamespaceProperty, old.Metadata.Name, old.Metadata.Uid, null));
                if (now is null || now.Metadata.Name != old.Metadata.Name || now.Metadata.NamespaceProperty != old.Metadata.NamespaceProperty)
                {
                    _staleMirrors.Add((old.Metadata.NamespaceProperty, old.Metadata.Name));
                }

                LogStopping(_log, old.Metadata.NamespaceProperty, old.Metadata.Name, file, now is null ? "removed" : "changed");
            }
        }

        foreach (var (file, pod) in desired)
        {
            if (!_pods.TryGetValue(file, out var old) || old.Metadata.Uid != pod.Metadata.Uid)
            {
                changes.Add(new PodChange(PodChangeType.Upsert, pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, Encoding.UTF8.GetString(KubeJson.SerializeToUtf8(pod))));
                _staleMirrors.Remove((pod.Metadata.NamespaceProperty, pod.Metadata.Name));
                LogStarting(_log, pod.Metadata.NamespaceProperty, pod.Metadata.Name, file);
            }
        }

        _pods = desired;
        _uids = [.. desired.Values.Select(p => p.Metadata.Uid)];
        if (changes.Count > 0)
        {
            await _workers.ApplyAsync(new PodAssignmentBatch(false, 0, changes), ct);
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        StartWatching();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(ct);
                await SyncMirrorsAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                LogRoundFailed(_log, e.Message);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(RescanInterval);
            try
            {
                await _wake.Reader.WaitToReadAsync(timeout.Token);
                _wake.Reader.TryRead(out _);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Makes every static pod's mirror exist and removes mirrors of pods that are gone.</summary>
    private async Task SyncMirrorsAsync(CancellationToken ct)
    {
        var current = _pods.Values.Select(p => (p.Metadata.NamespaceProperty, p.Metadata.Name)).ToHashSet();
        foreach (var key in _seenMirrors.Keys)
        {
            _seenMirrors.TryRemove(key, out _);
            if (!current.Contains(key))
            {
                _staleMirrors.Add(key);
            }
        }

        foreach (var key in _staleMirrors.ToList())
        {
            if (await _client.DeleteMirrorPodAsync(new MirrorPodDelete(key.Namespace, key.Name), ct))
            {
                _staleMirrors.Remove(key);
            }
        }

        var now = _time.GetUtcNow();
        var seen = now.UtcDateTime;
        foreach (var pod in _pods.Values)
        {
            var key = (pod.Metadata.NamespaceProperty, pod.Metadata.Name);
            if (_recreateAfter.TryGetValue(key, out var after))
            {
                if (now < after)
                {
                    continue;
                }

                _recreateAfter.Remove(key);
            }

            var mirror = StaticPodManifest.Mirror(pod, seen);
            var request = new MirrorPodRequest(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, Encoding.UTF8.GetString(KubeJson.SerializeToUtf8(mirror)));
            var result = await _client.SyncMirrorPodAsync(request, ct);
            if (result is null)
            {
                return;
            }

            if (result.Conflict is { } conflict)
            {
                LogMirrorConflict(_log, conflict);
            }
            else if (result.Uid is { } uid)
            {
                if (result.Created)
                {
                    LogMirrorCreated(_log, pod.Metadata.NamespaceProperty, pod.Metadata.Name);
                }

                _statuses.SetMirror(pod.Metadata.Uid, uid);
            }
            else
            {
                // A user deleted the mirror and the server removed it: the new one comes after a pause.
                _recreateAfter[key] = now + MirrorRecreateDelay;
                _ = WakeAfterAsync(MirrorRecreateDelay, ct);
            }
        }
    }

    private async Task WakeAfterAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, _time, ct);
            _wake.Writer.TryWrite(true);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Dictionary<string, V1Pod> Read()
    {
        var pods = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        if (!Directory.Exists(_dir))
        {
            return pods;
        }

        var names = new HashSet<(string, string)>();
        foreach (var file in Directory.EnumerateFiles(_dir).Where(StaticPodManifest.IsManifest).Order(StringComparer.Ordinal))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException)
            {
                // Being written: the next round reads it.
                continue;
            }

            try
            {
                var pod = StaticPodManifest.Parse(text, _nodeName);
                if (!names.Add((pod.Metadata.NamespaceProperty, pod.Metadata.Name)))
                {
                    throw new FormatException($"pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} is already defined by another manifest");
                }

                pods[file] = pod;
                _invalid.Remove(file);
            }
            catch (FormatException e)
            {
                if (!_invalid.TryGetValue(file, out var known) || known != e.Message)
                {
                    _invalid[file] = e.Message;
                    LogInvalid(_log, file, e.Message);
                }
            }
        }

        return pods;
    }

    private void StartWatching()
    {
        if (!Directory.Exists(_dir))
        {
            return;
        }

        try
        {
            _watcher = new FileSystemWatcher(_dir) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
            _watcher.Changed += (_, _) => _wake.Writer.TryWrite(true);
            _watcher.Created += (_, _) => _wake.Writer.TryWrite(true);
            _watcher.Deleted += (_, _) => _wake.Writer.TryWrite(true);
            _watcher.Renamed += (_, _) => _wake.Writer.TryWrite(true);
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // The periodic rescan still notices changes.
            _watcher?.Dispose();
            _watcher = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        await _workers.DisposeAsync();
    }

    [LoggerMessage(LogLevel.Information, "Static pod {Namespace}/{Name} from {File}: starting")]
    private static partial void LogStarting(ILogger log, string @namespace, string name, string file);

    [LoggerMessage(LogLevel.Information, "Static pod {Namespace}/{Name} from {File}: stopping (manifest {Why})")]
    private static partial void LogStopping(ILogger log, string @namespace, string name, string file, string why);

    [LoggerMessage(LogLevel.Warning, "Ignoring pod manifest {File}: {Reason}")]
    private static partial void LogInvalid(ILogger log, string file, string reason);

    [LoggerMessage(LogLevel.Information, "Mirror pod {Namespace}/{Name} created")]
    private static partial void LogMirrorCreated(ILogger log, string @namespace, string name);

    [LoggerMessage(LogLevel.Warning, "Mirror pod not created: {Reason}")]
    private static partial void LogMirrorConflict(ILogger log, string reason);

    [LoggerMessage(LogLevel.Warning, "Static pods: {Reason}; retrying")]
    private static partial void LogRoundFailed(ILogger log, string reason);
}
