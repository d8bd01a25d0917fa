using k8s.Models;
using KubeWeb.Api.Admission.Strategies;
using static KubeWeb.Api.Tests.Admission.StrategyTestKit;

namespace KubeWeb.Api.Tests.Admission;

public sealed class PodStrategyTests
{
    private readonly PodStrategy _strategy = new();

    private static V1Pod NewPod(string image = "nginx") => new() { Metadata = Meta("web"), Spec = PodSpec(image) };

    [Fact]
    public void Create_FillsCoreDefaults()
    {
        var pod = NewPod();
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80 }];
        pod.Spec.Containers[0].LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 80 } };

        Assert.Empty(Create(_strategy, pod));

        var spec = pod.Spec;
        Assert.Equal("Always", spec.RestartPolicy);
        Assert.Equal("ClusterFirst", spec.DnsPolicy);
        Assert.Equal("default-scheduler", spec.SchedulerName);
        Assert.Equal(30, spec.TerminationGracePeriodSeconds);
        Assert.NotNull(spec.SecurityContext);
        Assert.True(spec.EnableServiceLinks);
        // Priority is the Priority admission plugin's (PriorityAdmissionTests): defaulting must not
        // fill it, or a global default class could never apply.
        Assert.Null(spec.Priority);
        Assert.Null(spec.PreemptionPolicy);
        Assert.Null(spec.Tolerations);
        var c = spec.Containers[0];
        Assert.Equal("/dev/termination-log", c.TerminationMessagePath);
        Assert.Equal("File", c.TerminationMessagePolicy);
        Assert.Equal("Always", c.ImagePullPolicy);
        Assert.Equal("TCP", c.Ports[0].Protocol);
        Assert.Equal((1, 10, 1, 3), (c.LivenessProbe.TimeoutSeconds, c.LivenessProbe.PeriodSeconds, c.LivenessProbe.SuccessThreshold, c.LivenessProbe.FailureThreshold));
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal("BestEffort", pod.Status.QosClass);
    }

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:1.27", "IfNotPresent")]
    [InlineData("localhost:5000/app", "Always")]
    [InlineData("localhost:5000/app:v2", "IfNotPresent")]
    [InlineData("nginx@sha256:abcd", "IfNotPresent")]
    public void PullPolicy_FollowsTag(string image, string expected) =>
        Assert.Equal(expected, PodSpecDefaults.PullPolicyFor(image));

    [Fact]
    public void Create_WithoutImage_RequiresImage()
    {
        var error = Single(Create(_strategy, NewPod(image: "")), "spec.containers[0].image");

        Assert.Equal("FieldValueRequired", error.Reason);
        Assert.Equal("Required value", error.Message);
    }

    [Fact]
    public void Create_WithoutContainers_RequiresContainers()
    {
        var pod = new V1Pod { Metadata = Meta(), Spec = new V1PodSpec() };

        Assert.Equal("FieldValueRequired", Single(Create(_strategy, pod), "spec.containers").Reason);
    }

    [Fact]
    public void Create_InvalidSpec_ReportsEachProblemAtItsPath()
    {
        var pod = NewPod();
        pod.Spec.RestartPolicy = "Sometimes";
        pod.Spec.Volumes = [new V1Volume { Name = "data", EmptyDir = new() }, new V1Volume { Name = "data", HostPath = new() { Path = "/x" }, EmptyDir = new() }];
        pod.Spec.Containers.Add(new V1Container
        {
            Name = "app",
            Image = "busybox",
            Ports = [new V1ContainerPort { ContainerPort = 70000 }],
            Env = [new V1EnvVar { Name = "1BAD" }],
            VolumeMounts = [new V1VolumeMount { Name = "missing", MountPath = "/m" }],
        });

        var errors = Create(_strategy, pod);

        Assert.Equal("FieldValueNotSupported", Single(errors, "spec.restartPolicy").Reason);
        Assert.Equal("FieldValueDuplicate", Single(errors, "spec.containers[1].name").Reason);
        Assert.Equal("FieldValueDuplicate", Single(errors, "spec.volumes[1].name").Reason);
        Assert.Equal("FieldValueForbidden", Single(errors, "spec.volumes[1].hostPath").Reason);
        Assert.Equal("Invalid value: 70000: must be between 1 and 65535, inclusive", Single(errors, "spec.containers[1].ports[0].containerPort").Message);
        Assert.Equal("FieldValueInvalid", Single(errors, "spec.containers[1].env[0].name").Reason);
        Assert.Equal("Not found: \"missing\"", Single(errors, "spec.containers[1].volumeMounts[0].name").Message);
    }

    [Fact]
    public void Update_ChangingImageAndAddingToleration_IsAllowed()
    {
        var old = NewPod();
        Create(_strategy, old);
        var updated = Copy(old);
        updated.Spec.Containers[0].Image = "nginx:1.28";
        updated.Spec.Tolerations = [new V1Toleration { Key = "k", OperatorProperty = "Exists" }];
        updated.Spec.ActiveDeadlineSeconds = 60;

        Assert.Empty(Update(_strategy, updated, old));
    }

    [Fact]
    public void Update_ChangingOtherSpecFields_IsForbidden()
    {
        var old = NewPod();
        Create(_strategy, old);
        var updated = Copy(old);
        updated.Spec.NodeName = "node-2";

        var error = Single(Update(_strategy, updated, old), "spec");

        Assert.Equal("FieldValueForbidden", error.Reason);
        Assert.StartsWith("Forbidden: pod updates may not change fields other than `spec.containers[*].image`", error.Message);
        Assert.Contains("spec.nodeName", error.Message);
    }

    [Fact]
    public void Update_KeepsStoredStatus()
    {
        var old = NewPod();
        Create(_strategy, old);
        old.Status.Phase = "Running";
        var updated = Copy(old);
        updated.Status = new V1PodStatus { Phase = "Failed" };

        Update(_strategy, updated, old);

        Assert.Equal("Running", updated.Status.Phase);
    }

    [Fact]
    public void GetField_ReadsSelectableFields()
    {
        var pod = NewPod();
        Create(_strategy, pod);
        pod.Spec.NodeName = "node-1";
        pod.Status.PodIP = "10.0.0.5";

        Assert.Equal("node-1", _strategy.GetField(pod, "spec.nodeName"));
        Assert.Equal("Always", _strategy.GetField(pod, "spec.restartPolicy"));
        Assert.Equal("default-scheduler", _strategy.GetField(pod, "spec.schedulerName"));
        Assert.Equal("", _strategy.GetField(pod, "spec.serviceAccountName"));
        Assert.Equal("false", _strategy.GetField(pod, "spec.hostNetwork"));
        Assert.Equal("Pending", _strategy.GetField(pod, "status.phase"));
        Assert.Equal("10.0.0.5", _strategy.GetField(pod, "status.podIP"));
        Assert.Equal("", _strategy.GetField(pod, "status.nominatedNodeName"));
        Assert.Null(_strategy.GetField(pod, "spec.containers"));
    }

    [Fact]
    public void QosClass_RequestsEqualLimits_IsGuaranteed()
    {
        var pod = NewPod();
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("128Mi") },
        };

        Create(_strategy, pod);

        Assert.Equal("500m", pod.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        Assert.Equal("Guaranteed", pod.Status.QosClass);
    }

    private static V1ResourceRequirements Resources(string? cpuRequest = null, string? memoryRequest = null, string? cpuLimit = null, string? memoryLimit = null)
    {
        static Dictionary<string, ResourceQuantity>? Map(string? cpu, string? memory)
        {
            var map = new Dictionary<string, ResourceQuantity>();
            if (cpu is not null)
            {
                map["cpu"] = new ResourceQuantity(cpu);
            }

            if (memory is not null)
            {
                map["memory"] = new ResourceQuantity(memory);
            }

            return map.Count > 0 ? map : null;
        }

        return new V1ResourceRequirements { Requests = Map(cpuRequest, memoryRequest), Limits = Map(cpuLimit, memoryLimit) };
    }

    [Fact]
    public void QosClass_OnlyARequest_IsBurstable()
    {
        var pod = NewPod();
        pod.Spec.Containers[0].Resources = Resources(cpuRequest: "100m");

        Create(_strategy, pod);

        Assert.Equal("Burstable", pod.Status.QosClass);
    }

    [Fact]
    public void QosClass_OnlyAMemoryLimit_IsBurstable()
    {
        var pod = NewPod();
        pod.Spec.Containers[0].Resources = Resources(memoryLimit: "64Mi");

        Create(_strategy, pod);

        Assert.Equal("Burstable", pod.Status.QosClass);
    }

    [Fact]
    public void QosClass_OtherResourcesOrZeroQuantities_StayBestEffort()
    {
        var pod = NewPod();
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["ephemeral-storage"] = new("1Gi"), ["cpu"] = new("0") },
        };

        Create(_strategy, pod);

        Assert.Equal("BestEffort", pod.Status.QosClass);
    }

    [Theory]
    [InlineData("lifecycle")]
    [InlineData("livenessProbe")]
    [InlineData("readinessProbe")]
    [InlineData("startupProbe")]
    public void Create_RegularInitContainerWithHookOrProbe_IsForbidden(string field)
    {
        var pod = NewPod();
        var probe = new V1Probe { Exec = new V1ExecAction { Command = ["true"] } };
        var init = new V1Container { Name = "init", Image = "busybox" };
        switch (field)
        {
            case "lifecycle":
                init.Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["true"] } } };
                break;
            case "livenessProbe":
                init.LivenessProbe = probe;
                break;
            case "readinessProbe":
                init.ReadinessProbe = probe;
                break;
            default:
                init.StartupProbe = probe;
                break;
        }

        pod.Spec.InitContainers = [init];

        var error = Single(Create(_strategy, pod), "spec.initContainers[0]." + field);

        Assert.Equal("FieldValueForbidden", error.Reason);
        Assert.Equal("Forbidden: may not be set for init containers without restartPolicy=Always", error.Message);
    }

    [Fact]
    public void Create_SidecarWithHooksAndProbes_IsAccepted()
    {
        var pod = NewPod();
        var exec = new V1ExecAction { Command = ["true"] };
        pod.Spec.InitContainers =
        [
            new V1Container
            {
                Name = "proxy", Image = "busybox", RestartPolicy = "Always",
                Lifecycle = new V1Lifecycle { PostStart = new V1LifecycleHandler { Exec = exec }, PreStop = new V1LifecycleHandler { Exec = exec } },
                StartupProbe = new V1Probe { Exec = exec }, LivenessProbe = new V1Probe { Exec = exec }, ReadinessProbe = new V1Probe { Exec = exec },
            },
        ];

        Assert.Empty(Create(_strategy, pod));
    }

    [Fact]
    public void Create_SidecarStartupProbeWithSuccessThresholdAboveOne_IsInvalid()
    {
        var pod = NewPod();
        pod.Spec.InitContainers =
        [
            new V1Container { Name = "proxy", Image = "busybox", RestartPolicy = "Always", StartupProbe = new V1Probe { Exec = new V1ExecAction { Command = ["true"] }, SuccessThreshold = 2 } },
        ];

        Assert.Contains(Create(_strategy, pod), e => e.Field == "spec.initContainers[0].startupProbe.successThreshold");
    }

    [Fact]
    public void Create_InitContainerRestartPolicyOtherThanAlways_IsNotSupported()
    {
        var pod = NewPod();
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "busybox", RestartPolicy = "OnFailure" }];

        Assert.Equal("FieldValueNotSupported", Single(Create(_strategy, pod), "spec.initContainers[0].restartPolicy").Reason);
    }

    [Fact]
    public void QosClass_AnInitContainerWithoutLimits_MakesAGuaranteedAppBurstable()
    {
        var pod = NewPod();
        pod.Spec.Containers[0].Resources = Resources(cpuLimit: "1", memoryLimit: "1Gi");
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "busybox", Resources = Resources(cpuRequest: "100m") }];

        Create(_strategy, pod);

        Assert.Equal("Burstable", pod.Status.QosClass);
    }

    [Fact]
    public void QosClass_InitAndAppContainersAllLimited_AreGuaranteed()
    {
        var pod = NewPod();
        pod.Spec.Containers[0].Resources = Resources(cpuLimit: "1", memoryLimit: "1Gi");
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "busybox", Resources = Resources("200m", "64Mi", "200m", "64Mi") }];

        Create(_strategy, pod);

        Assert.Equal("Guaranteed", pod.Status.QosClass);
    }

    [Fact]
    public void QosClass_OnlyAnInitContainerRequest_IsBurstable()
    {
        var pod = NewPod();
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "busybox", Resources = Resources(memoryRequest: "32Mi") }];

        Create(_strategy, pod);

        Assert.Equal("Burstable", pod.Status.QosClass);
    }

    [Fact]
    public void QosClass_RequestBelowLimit_IsBurstable()
    {
        var pod = NewPod();
        pod.Spec.Containers[0].Resources = Resources("250m", "128Mi", "500m", "128Mi");

        Create(_strategy, pod);

        Assert.Equal("Burstable", pod.Status.QosClass);
    }
}
