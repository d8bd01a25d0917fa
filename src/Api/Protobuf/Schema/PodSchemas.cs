using static KubeWeb.Api.Protobuf.Schema.Fields;

namespace KubeWeb.Api.Protobuf.Schema;

/// <summary>core/v1 PodTemplateSpec, PodSpec, Container and what they hold (volumes live in <see cref="VolumeSchemas"/>).</summary>
internal static class PodSchemas
{
    public static void Register(SchemaSet s)
    {
        s.Message("PodTemplateSpec", Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "PodSpec"));

        s.Message("PodSpec",
            List(1, "volumes", "Volume"),
            List(20, "initContainers", "Container"),
            List(2, "containers", "Container"),
            Str(3, "restartPolicy"),
            I64(4, "terminationGracePeriodSeconds").Keep(),
            I64(5, "activeDeadlineSeconds").Keep(),
            Str(6, "dnsPolicy"),
            StrMap(7, "nodeSelector"),
            Str(8, "serviceAccountName"),
            Str(9, "serviceAccount"),
            Bool(21, "automountServiceAccountToken").Keep(),
            Str(10, "nodeName"),
            Bool(11, "hostNetwork"),
            Bool(12, "hostPID"),
            Bool(13, "hostIPC"),
            Bool(27, "shareProcessNamespace").Keep(),
            Msg(14, "securityContext", "PodSecurityContext"),
            List(15, "imagePullSecrets", "LocalObjectReference"),
            Str(16, "hostname"),
            Str(17, "subdomain"),
            Msg(18, "affinity", "Affinity"),
            Str(19, "schedulerName"),
            List(22, "tolerations", "Toleration"),
            List(23, "hostAliases", "HostAlias"),
            Str(24, "priorityClassName"),
            I32(25, "priority").Keep(),
            Msg(26, "dnsConfig", "PodDNSConfig"),
            List(28, "readinessGates", "PodReadinessGate"),
            Str(29, "runtimeClassName").Keep(),
            Bool(30, "enableServiceLinks").Keep(),
            Str(31, "preemptionPolicy").Keep(),
            QtyMap(32, "overhead"),
            List(33, "topologySpreadConstraints", "TopologySpreadConstraint"),
            Bool(35, "setHostnameAsFQDN").Keep(),
            Msg(36, "os", "PodOS"),
            Bool(37, "hostUsers").Keep(),
            List(38, "schedulingGates", "PodSchedulingGate"),
            Msg(40, "resources", "ResourceRequirements"));

        s.Message("Container",
            Str(1, "name").Keep(),
            Str(2, "image"),
            Strs(3, "command"),
            Strs(4, "args"),
            Str(5, "workingDir"),
            List(6, "ports", "ContainerPort"),
            List(19, "envFrom", "EnvFromSource"),
            List(7, "env", "EnvVar"),
            Msg(8, "resources", "ResourceRequirements"),
            List(23, "resizePolicy", "ContainerResizePolicy"),
            Str(24, "restartPolicy").Keep(),
            List(9, "volumeMounts", "VolumeMount"),
            List(21, "volumeDevices", "VolumeDevice"),
            Msg(10, "livenessProbe", "Probe"),
            Msg(11, "readinessProbe", "Probe"),
            Msg(22, "startupProbe", "Probe"),
            Msg(12, "lifecycle", "Lifecycle"),
            Str(13, "terminationMessagePath"),
            Str(20, "terminationMessagePolicy"),
            Str(14, "imagePullPolicy"),
            Msg(15, "securityContext", "SecurityContext"),
            Bool(16, "stdin"),
            Bool(17, "stdinOnce"),
            Bool(18, "tty"));

        s.Message("ContainerPort",
            Str(1, "name"),
            I32(2, "hostPort"),
            I32(3, "containerPort").Keep(),
            Str(4, "protocol"),
            Str(5, "hostIP"));

        s.Message("EnvVar", Str(1, "name").Keep(), Str(2, "value"), Msg(3, "valueFrom", "EnvVarSource"));
        s.Message("EnvVarSource",
            Msg(1, "fieldRef", "ObjectFieldSelector"),
            Msg(2, "resourceFieldRef", "ResourceFieldSelector"),
            Msg(3, "configMapKeyRef", "KeySelector"),
            Msg(4, "secretKeyRef", "KeySelector"));
        s.Message("ObjectFieldSelector", Str(1, "apiVersion"), Str(2, "fieldPath").Keep());
        s.Message("ResourceFieldSelector", Str(1, "containerName"), Str(2, "resource").Keep(), Qty(3, "divisor"));
        // ConfigMapKeySelector and SecretKeySelector share one wire shape.
        s.Message("KeySelector", Inline(1, "LocalObjectReference"), Str(2, "key").Keep(), Bool(3, "optional").Keep());
        s.Message("EnvFromSource",
            Str(1, "prefix"),
            Msg(2, "configMapRef", "EnvSource"),
            Msg(3, "secretRef", "EnvSource"));
        s.Message("EnvSource", Inline(1, "LocalObjectReference"), Bool(2, "optional").Keep());

        s.Message("ResourceRequirements",
            QtyMap(1, "limits"),
            QtyMap(2, "requests"),
            List(3, "claims", "ResourceClaim"));
        s.Message("ResourceClaim", Str(1, "name").Keep(), Str(2, "request"));
        s.Message("ContainerResizePolicy", Str(1, "resourceName").Keep(), Str(2, "restartPolicy").Keep());
        s.Message("VolumeDevice", Str(1, "name").Keep(), Str(2, "devicePath").Keep());

        s.Message("Probe",
            Inline(1, "ProbeHandler"),
            I32(2, "initialDelaySeconds"),
            I32(3, "timeoutSeconds"),
            I32(4, "periodSeconds"),
            I32(5, "successThreshold"),
            I32(6, "failureThreshold"),
            I64(7, "terminationGracePeriodSeconds").Keep());
        s.Message("ProbeHandler",
            Msg(1, "exec", "ExecAction"),
            Msg(2, "httpGet", "HTTPGetAction"),
            Msg(3, "tcpSocket", "TCPSocketAction"),
            Msg(4, "grpc", "GRPCAction"));
        s.Message("Lifecycle", Msg(1, "postStart", "LifecycleHandler"), Msg(2, "preStop", "LifecycleHandler"));
        s.Message("LifecycleHandler",
            Msg(1, "exec", "ExecAction"),
            Msg(2, "httpGet", "HTTPGetAction"),
            Msg(3, "tcpSocket", "TCPSocketAction"),
            Msg(4, "sleep", "SleepAction"));
        s.Message("ExecAction", Strs(1, "command"));
        s.Message("HTTPGetAction",
            Str(1, "path"),
            IntStr(2, "port").Keep(),
            Str(3, "host"),
            Str(4, "scheme"),
            List(5, "httpHeaders", "HTTPHeader"));
        s.Message("HTTPHeader", Str(1, "name").Keep(), Str(2, "value").Keep());
        s.Message("TCPSocketAction", IntStr(1, "port").Keep(), Str(2, "host"));
        s.Message("GRPCAction", I32(1, "port").Keep(), Str(2, "service").Keep());
        s.Message("SleepAction", I64(1, "seconds").Keep());

        RegisterSecurity(s);
        RegisterScheduling(s);
    }

    private static void RegisterSecurity(SchemaSet s)
    {
        s.Message("SecurityContext",
            Msg(1, "capabilities", "Capabilities"),
            Bool(2, "privileged").Keep(),
            Msg(3, "seLinuxOptions", "SELinuxOptions"),
            Msg(10, "windowsOptions", "WindowsSecurityContextOptions"),
            I64(4, "runAsUser").Keep(),
            I64(8, "runAsGroup").Keep(),
            Bool(5, "runAsNonRoot").Keep(),
            Bool(6, "readOnlyRootFilesystem").Keep(),
            Bool(7, "allowPrivilegeEscalation").Keep(),
            Str(9, "procMount").Keep(),
            Msg(11, "seccompProfile", "SeccompProfile"),
            Msg(12, "appArmorProfile", "SeccompProfile"));
        s.Message("PodSecurityContext",
            Msg(1, "seLinuxOptions", "SELinuxOptions"),
            Msg(8, "windowsOptions", "WindowsSecurityContextOptions"),
            I64(2, "runAsUser").Keep(),
            I64(6, "runAsGroup").Keep(),
            Bool(3, "runAsNonRoot").Keep(),
            I64s(4, "supplementalGroups"),
            Str(12, "supplementalGroupsPolicy").Keep(),
            I64(5, "fsGroup").Keep(),
            List(7, "sysctls", "Sysctl"),
            Str(9, "fsGroupChangePolicy").Keep(),
            Msg(10, "seccompProfile", "SeccompProfile"),
            Msg(11, "appArmorProfile", "SeccompProfile"),
            Str(13, "seLinuxChangePolicy").Keep());
        s.Message("Capabilities", Strs(1, "add"), Strs(2, "drop"));
        s.Message("SELinuxOptions", Str(1, "user"), Str(2, "role"), Str(3, "type"), Str(4, "level"));
        s.Message("WindowsSecurityContextOptions",
            Str(1, "gmsaCredentialSpecName").Keep(),
            Str(2, "gmsaCredentialSpec").Keep(),
            Str(3, "runAsUserName").Keep(),
            Bool(4, "hostProcess").Keep());
        // SeccompProfile and AppArmorProfile share one wire shape.
        s.Message("SeccompProfile", Str(1, "type").Keep(), Str(2, "localhostProfile").Keep());
        s.Message("Sysctl", Str(1, "name").Keep(), Str(2, "value").Keep());
    }

    private static void RegisterScheduling(SchemaSet s)
    {
        s.Message("Toleration",
            Str(1, "key"),
            Str(2, "operator"),
            Str(3, "value"),
            Str(4, "effect"),
            I64(5, "tolerationSeconds").Keep());
        s.Message("HostAlias", Str(1, "ip").Keep(), Strs(2, "hostnames"));
        s.Message("PodDNSConfig", Strs(1, "nameservers"), Strs(2, "searches"), List(3, "options", "PodDNSConfigOption"));
        s.Message("PodDNSConfigOption", Str(1, "name"), Str(2, "value").Keep());
        s.Message("PodReadinessGate", Str(1, "conditionType").Keep());
        s.Message("PodOS", Str(1, "name").Keep());
        s.Message("PodSchedulingGate", Str(1, "name").Keep());
        s.Message("TopologySpreadConstraint",
            I32(1, "maxSkew").Keep(),
            Str(2, "topologyKey").Keep(),
            Str(3, "whenUnsatisfiable").Keep(),
            Msg(4, "labelSelector", "LabelSelector"),
            I32(5, "minDomains").Keep(),
            Str(6, "nodeAffinityPolicy").Keep(),
            Str(7, "nodeTaintsPolicy").Keep(),
            Strs(8, "matchLabelKeys"));

        s.Message("Affinity",
            Msg(1, "nodeAffinity", "NodeAffinity"),
            Msg(2, "podAffinity", "PodAffinity"),
            Msg(3, "podAntiAffinity", "PodAffinity"));
        s.Message("NodeAffinity",
            Msg(1, "requiredDuringSchedulingIgnoredDuringExecution", "NodeSelector"),
            List(2, "preferredDuringSchedulingIgnoredDuringExecution", "PreferredSchedulingTerm"));
        s.Message("NodeSelector", List(1, "nodeSelectorTerms", "NodeSelectorTerm"));
        s.Message("NodeSelectorTerm",
            List(1, "matchExpressions", "NodeSelectorRequirement"),
            List(2, "matchFields", "NodeSelectorRequirement"));
        s.Message("NodeSelectorRequirement", Str(1, "key").Keep(), Str(2, "operator").Keep(), Strs(3, "values"));
        s.Message("PreferredSchedulingTerm", I32(1, "weight").Keep(), Msg(2, "preference", "NodeSelectorTerm"));
        // PodAffinity and PodAntiAffinity share one wire shape.
        s.Message("PodAffinity",
            List(1, "requiredDuringSchedulingIgnoredDuringExecution", "PodAffinityTerm"),
            List(2, "preferredDuringSchedulingIgnoredDuringExecution", "WeightedPodAffinityTerm"));
        s.Message("PodAffinityTerm",
            Msg(1, "labelSelector", "LabelSelector"),
            Strs(2, "namespaces"),
            Str(3, "topologyKey").Keep(),
            Msg(4, "namespaceSelector", "LabelSelector"),
            Strs(5, "matchLabelKeys"),
            Strs(6, "mismatchLabelKeys"));
        s.Message("WeightedPodAffinityTerm", I32(1, "weight").Keep(), Msg(2, "podAffinityTerm", "PodAffinityTerm"));
    }
}
