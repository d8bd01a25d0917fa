using System.Globalization;
using System.Text;
using k8s.Models;
using KubeWeb.Agent.Cri.V1;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// Container spec → CRI container config (the kubelet's generateContainerConfig): command and
/// args with <c>$(VAR)</c> expansion, env (value, fieldRef), mounts (the pod's hosts file,
/// emptyDir, hostPath, the termination log), resources and security context.
/// </summary>
internal static class ContainerConfigFactory
{
    /// <summary>A spec the runtime cannot honour yet: the container waits with CreateContainerConfigError.</summary>
    internal sealed class ConfigException(string message) : Exception(message);

    public static ContainerConfig Build(
        V1Pod pod, V1Container spec, bool init, uint attempt, string imageRef, string? podIp, PodFolders folders, string terminationLog,
        PodObjects? objects = null, IReadOnlyDictionary<string, string>? volumeErrors = null, IReadOnlyDictionary<string, string>? claims = null)
    {
        var env = Env(pod, spec, podIp, objects ?? PodObjects.Empty);
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = spec.Name, Attempt = attempt },
            Image = new ImageSpec { Image = imageRef },
            WorkingDir = spec.WorkingDir ?? "",
            LogPath = Path.Combine(spec.Name, $"{attempt}.log"),
            Stdin = spec.Stdin == true,
            StdinOnce = spec.StdinOnce == true,
            Tty = spec.Tty == true,
            Linux = new LinuxContainerConfig
            {
                Resources = Resources(spec),
                SecurityContext = Security(pod, spec),
            },
        };
        config.Command.AddRange((spec.Command ?? []).Select(a => Expand(a, env)));
        config.Args.AddRange((spec.Args ?? []).Select(a => Expand(a, env)));
        config.Envs.AddRange(env.Select(e => new KeyValue { Key = e.Key, Value = e.Value }));
        config.Mounts.AddRange(Mounts(pod, spec, folders, terminationLog, volumeErrors, claims));
        config.Labels[CriLabels.PodUid] = pod.Metadata.Uid;
        config.Labels[CriLabels.PodName] = pod.Metadata.Name;
        config.Labels[CriLabels.PodNamespace] = pod.Metadata.NamespaceProperty ?? "default";
        config.Labels[CriLabels.ContainerName] = spec.Name;
        config.Labels[CriLabels.Managed] = "true";
        config.Labels[CriLabels.InitContainer] = init ? "true" : "false";
        config.Annotations[CriLabels.Image] = spec.Image ?? "";
        config.Annotations[CriLabels.RestartCount] = attempt.ToString(CultureInfo.InvariantCulture);
        config.Annotations[CriLabels.TerminationMessagePath] = spec.TerminationMessagePath ?? "/dev/termination-log";
        config.Annotations[CriLabels.TerminationMessagePolicy] = spec.TerminationMessagePolicy ?? "File";
        config.Annotations[CriLabels.TerminationLogFile] = terminationLog;
        return config;
    }

    /// <summary>The ConfigMaps and Secrets a container's env and envFrom read.</summary>
    public static (IEnumerable<string> ConfigMaps, IEnumerable<string> Secrets) EnvReferences(V1Container spec) =>
        ((spec.Env ?? []).Select(e => e.ValueFrom?.ConfigMapKeyRef?.Name).Concat((spec.EnvFrom ?? []).Select(e => e.ConfigMapRef?.Name)).OfType<string>(),
         (spec.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef?.Name).Concat((spec.EnvFrom ?? []).Select(e => e.SecretRef?.Name)).OfType<string>());

    /// <summary>
    /// The kubelet's makeEnvironmentVariables: envFrom first (with its prefix; keys that are not
    /// valid variable names are skipped), then env in spec order; a value may refer to variables
    /// defined before it. A missing non-optional reference is a <see cref="ConfigException"/>.
    /// </summary>
    public static List<KeyValuePair<string, string>> Env(V1Pod pod, V1Container spec, string? podIp, PodObjects? objects = null)
    {
        objects ??= PodObjects.Empty;
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var vars = new List<KeyValuePair<string, string>>();
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string name, string value)
        {
            known[name] = value;
            vars.RemoveAll(v => v.Key == name);
            vars.Add(new(name, value));
        }

        foreach (var from in spec.EnvFrom ?? [])
        {
            IEnumerable<KeyValuePair<string, byte[]>> entries;
            if (from.ConfigMapRef is { } cmRef)
            {
                var cm = objects.ConfigMap(cmRef.Name);
                if (cm is null)
                {
                    entries = cmRef.Optional == true ? [] : throw new ConfigException($"configmap \"{cmRef.Name}\" not found");
                }
                else
                {
                    entries = PodObjects.Entries(cm);
                }
            }
            else if (from.SecretRef is { } sRef)
            {
                var secret = objects.Secret(sRef.Name);
                if (secret is null)
                {
                    entries = sRef.Optional == true ? [] : throw new ConfigException($"secret \"{sRef.Name}\" not found");
                }
                else
                {
                    entries = PodObjects.Entries(secret);
                }
            }
            else
            {
                continue;
            }

            foreach (var (key, value) in entries)
            {
                var name = (from.Prefix ?? "") + key;
                if (IsEnvName(name))
                {
                    Set(name, Encoding.UTF8.GetString(value));
                }
            }
        }

        foreach (var e in spec.Env ?? [])
        {
            if (e.ValueFrom is not { } from)
            {
                Set(e.Name, Expand(e.Value ?? "", known));
            }
            else if (from.FieldRef is { } field)
            {
                Set(e.Name, FieldValue(pod, field.FieldPath, podIp));
            }
            else if (from.ResourceFieldRef is { } resource)
            {
                Set(e.Name, PodObjects.ResourceValue(pod, spec, resource));
            }
            else if (from.ConfigMapKeyRef is { } cmKey)
            {
                var cm = objects.ConfigMap(cmKey.Name);
                if (cm is null)
                {
                    if (cmKey.Optional == true)
                    {
                        continue;
                    }

                    throw new ConfigException($"configmap \"{cmKey.Name}\" not found");
                }

                var entry = PodObjects.Entries(cm).Where(x => x.Key == cmKey.Key).Select(x => (byte[]?)x.Value).FirstOrDefault();
                if (entry is null)
                {
                    if (cmKey.Optional == true)
                    {
                        continue;
                    }

                    throw new ConfigException($"couldn't find key {cmKey.Key} in ConfigMap {ns}/{cmKey.Name}");
                }

                Set(e.Name, Encoding.UTF8.GetString(entry));
            }
            else if (from.SecretKeyRef is { } sKey)
            {
                var secret = objects.Secret(sKey.Name);
                if (secret is null)
                {
                    if (sKey.Optional == true)
                    {
                        continue;
                    }

                    throw new ConfigException($"secret \"{sKey.Name}\" not found");
                }

                var entry = PodObjects.Entries(secret).Where(x => x.Key == sKey.Key).Select(x => (byte[]?)x.Value).FirstOrDefault();
                if (entry is null)
                {
                    if (sKey.Optional == true)
                    {
                        continue;
                    }

                    throw new ConfigException($"couldn't find key {sKey.Key} in Secret {ns}/{sKey.Name}");
                }

                Set(e.Name, Encoding.UTF8.GetString(entry));
            }
            else
            {
                throw new ConfigException($"env {e.Name}: valueFrom has no source");
            }
        }

        return vars;
    }

    /// <summary>A C identifier-ish name as the API accepts for env (letters, digits, '_', '-', '.'; not starting with a digit).</summary>
    private static bool IsEnvName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    internal static string FieldValue(V1Pod pod, string path, string? podIp)
    {
        var meta = pod.Metadata;
        return path switch
        {
            "metadata.name" => meta.Name,
            "metadata.namespace" => meta.NamespaceProperty ?? "default",
            "metadata.uid" => meta.Uid,
            "spec.nodeName" => pod.Spec.NodeName ?? "",
            "spec.serviceAccountName" => pod.Spec.ServiceAccountName ?? "",
            "status.hostIP" or "status.hostIPs" => pod.Status?.HostIP ?? "",
            "status.podIP" or "status.podIPs" => podIp ?? "",
            _ when path.StartsWith("metadata.labels['", StringComparison.Ordinal) => Lookup(meta.Labels, path["metadata.labels['".Length..^2]),
            _ when path.StartsWith("metadata.annotations['", StringComparison.Ordinal) => Lookup(meta.Annotations, path["metadata.annotations['".Length..^2]),
            "metadata.labels" => string.Join('\n', (meta.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")),
            "metadata.annotations" => string.Join('\n', (meta.Annotations ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")),
            _ => throw new ConfigException($"unsupported fieldRef {path}"),
        };
    }

    private static string Lookup(IDictionary<string, string>? map, string key) => map is not null && map.TryGetValue(key, out var v) ? v : "";

    /// <summary>Kubernetes' <c>$(VAR)</c> expansion: <c>$$</c> escapes, unknown references stay as written.</summary>
    public static string Expand(string input, IEnumerable<KeyValuePair<string, string>> vars)
    {
        if (!input.Contains('$', StringComparison.Ordinal))
        {
            return input;
        }

        var map = vars as IReadOnlyDictionary<string, string> ?? vars.GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        var sb = new StringBuilder();
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                sb.Append(input[i]);
                continue;
            }

            if (input[i + 1] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }

            var close = input[i + 1] == '(' ? input.IndexOf(')', i + 2) : -1;
            if (close < 0)
            {
                sb.Append('$');
                continue;
            }

            var name = input[(i + 2)..close];
            sb.Append(map.TryGetValue(name, out var v) ? v : $"$({name})");
            i = close;
        }

        return sb.ToString();
    }

    private static IEnumerable<Mount> Mounts(
        V1Pod pod, V1Container spec, PodFolders folders, string terminationLog, IReadOnlyDictionary<string, string>? volumeErrors, IReadOnlyDictionary<string, string>? claims)
    {
        var mounts = new List<Mount>();
        var volumes = (pod.Spec.Volumes ?? []).ToDictionary(v => v.Name, StringComparer.Ordinal);
        foreach (var vm in spec.VolumeMounts ?? [])
        {
            if (!volumes.TryGetValue(vm.Name, out var volume))
            {
                throw new ConfigException($"volume mount {vm.Name}: no such volume in the pod");
            }

            string host;
            var readOnly = vm.ReadOnlyProperty == true;
            if (PodVolumes.Plugin(volume) is { } plugin)
            {
                if (volumeErrors is not null && volumeErrors.TryGetValue(volume.Name, out var error))
                {
                    throw new ConfigException(error);
                }

                host = folders.Volume(plugin, volume.Name);
                if (!Directory.Exists(host))
                {
                    throw new ConfigException($"volume {volume.Name} is not ready yet");
                }

                readOnly = true;
            }
            else if (volume.PersistentVolumeClaim is { } pvc)
            {
                if (volumeErrors is not null && volumeErrors.TryGetValue(volume.Name, out var error))
                {
                    throw new ConfigException(error);
                }

                host = claims is not null && claims.TryGetValue(volume.Name, out var path) ? path : throw new ConfigException($"volume {volume.Name} is not ready yet");
                readOnly |= pvc.ReadOnlyProperty == true;
            }
            else if (volume.EmptyDir is not null)
            {
                host = folders.EmptyDir(volume.Name);
            }
            else if (volume.HostPath is { } hp)
            {
                host = hp.Path;
                if (hp.Type is "DirectoryOrCreate" && !Directory.Exists(host))
                {
                    Directory.CreateDirectory(host);
                }
                else if (hp.Type is "FileOrCreate" && !File.Exists(host))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(host)!);
                    File.WriteAllBytes(host, []);
                }
            }
            else
            {
                throw new ConfigException($"volume {volume.Name}: only emptyDir, hostPath, configMap, secret, downwardAPI, projected and persistentVolumeClaim volumes are supported by this node yet");
            }

            if (!string.IsNullOrEmpty(vm.SubPath))
            {
                if (vm.SubPath.Split('/').Contains("..") || Path.IsPathRooted(vm.SubPath))
                {
                    throw new ConfigException($"volume mount {vm.Name}: subPath {vm.SubPath} must be a relative path without '..'");
                }

                host = Path.Combine(host, vm.SubPath);
                if (!File.Exists(host))
                {
                    Directory.CreateDirectory(host);
                }
            }

            mounts.Add(new Mount { ContainerPath = vm.MountPath, HostPath = host, Readonly = readOnly });
        }

        if (pod.Spec.HostNetwork != true && !mounts.Any(m => m.ContainerPath == "/etc/hosts"))
        {
            mounts.Add(new Mount { ContainerPath = "/etc/hosts", HostPath = folders.HostsFile });
        }

        var terminationPath = spec.TerminationMessagePath ?? "/dev/termination-log";
        if (terminationPath.Length > 0 && !mounts.Any(m => m.ContainerPath == terminationPath))
        {
            mounts.Add(new Mount { ContainerPath = terminationPath, HostPath = terminationLog });
        }

        return mounts;
    }

    private static LinuxContainerResources Resources(V1Container spec)
    {
        var requests = spec.Resources?.Requests;
        var limits = spec.Resources?.Limits;
        var r = new LinuxContainerResources { CpuPeriod = 100_000 };
        var cpuRequest = Milli(requests, "cpu") ?? Milli(limits, "cpu");
        // The kubelet's MilliCPUToShares: 2 is the floor (a best-effort container).
        r.CpuShares = cpuRequest is { } m ? Math.Max(2, m * 1024 / 1000) : 2;
        if (Milli(limits, "cpu") is { } limit)
        {
            r.CpuQuota = Math.Max(1000, limit * r.CpuPeriod / 1000);
        }

        if (limits is not null && limits.TryGetValue("memory", out var memory))
        {
            r.MemoryLimitInBytes = (long)memory.ToDecimal();
        }

        return r;
    }

    private static long? Milli(IDictionary<string, ResourceQuantity>? map, string key) =>
        map is not null && map.TryGetValue(key, out var q) ? (long)Math.Ceiling(q.ToDecimal() * 1000) : null;

    private static LinuxContainerSecurityContext Security(V1Pod pod, V1Container spec)
    {
        var podCtx = pod.Spec.SecurityContext;
        var ctx = spec.SecurityContext;
        var sc = new LinuxContainerSecurityContext
        {
            Privileged = ctx?.Privileged == true,
            ReadonlyRootfs = ctx?.ReadOnlyRootFilesystem == true,
            NamespaceOptions = new NamespaceOption
            {
                Network = pod.Spec.HostNetwork == true ? NamespaceMode.Node : NamespaceMode.Pod,
                Pid = pod.Spec.HostPID == true ? NamespaceMode.Node : pod.Spec.ShareProcessNamespace == true ? NamespaceMode.Pod : NamespaceMode.Container,
                Ipc = pod.Spec.HostIPC == true ? NamespaceMode.Node : NamespaceMode.Pod,
            },
        };
        if ((ctx?.RunAsUser ?? podCtx?.RunAsUser) is { } uid)
        {
            sc.RunAsUser = new Int64Value { Value = uid };
        }

        if ((ctx?.RunAsGroup ?? podCtx?.RunAsGroup) is { } gid)
        {
            sc.RunAsGroup = new Int64Value { Value = gid };
        }

        return sc;
    }
}

/// <summary>One pod's folder on the node: its hosts file, emptyDir volumes and termination logs.</summary>
internal sealed record PodFolders(string Root)
{
    public string HostsFile => Path.Combine(Root, "etc-hosts");

    public string EmptyDir(string volume)
    {
        var path = Path.Combine(Root, "volumes", "kubernetes.io~empty-dir", volume);
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path);
            // World-writable as the kubelet makes them, so non-root containers can write.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
            }
        }

        return path;
    }

    /// <summary>A volume the agent writes (configMap, secret, downwardAPI, projected): <c>volumes/&lt;plugin&gt;/&lt;name&gt;</c>.</summary>
    public string Volume(string plugin, string volume) => Path.Combine(Root, "volumes", plugin, volume);

    public string TerminationLog(string container, uint attempt)
    {
        var dir = Path.Combine(Root, "containers", container);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{attempt}.termination-log");
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, []);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
            }
        }

        return path;
    }
}
