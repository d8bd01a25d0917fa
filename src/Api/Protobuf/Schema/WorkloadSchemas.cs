using static KubeWeb.Api.Protobuf.Schema.Fields;

namespace KubeWeb.Api.Protobuf.Schema;

/// <summary>
/// apps/v1 Deployment, batch/v1 Job and CronJob, networking.k8s.io/v1 Ingress, policy/v1
/// PodDisruptionBudget, scheduling.k8s.io/v1 PriorityClass and coordination.k8s.io/v1 Lease.
/// Status messages are listed only where a create body can carry something in them.
/// </summary>
internal static class WorkloadSchemas
{
    public static void Register(SchemaSet s)
    {
        s.Message("Deployment",
            Msg(1, "metadata", "ObjectMeta"),
            Msg(2, "spec", "DeploymentSpec"),
            Msg(3, "status", "DeploymentStatus"));
        s.Message("DeploymentSpec",
            I32(1, "replicas").Keep(),
            Msg(2, "selector", "LabelSelector"),
            Msg(3, "template", "PodTemplateSpec"),
            Msg(4, "strategy", "DeploymentStrategy"),
            I32(5, "minReadySeconds"),
            I32(6, "revisionHistoryLimit").Keep(),
            Bool(7, "paused"),
            I32(9, "progressDeadlineSeconds").Keep());
        s.Message("DeploymentStrategy", Str(1, "type"), Msg(2, "rollingUpdate", "RollingUpdateDeployment"));
        s.Message("RollingUpdateDeployment", IntStr(1, "maxUnavailable").Keep(), IntStr(2, "maxSurge").Keep());
        s.Message("DeploymentStatus",
            I64(1, "observedGeneration"),
            I32(2, "replicas"),
            I32(3, "updatedReplicas"),
            I32(7, "readyReplicas"),
            I32(4, "availableReplicas"),
            I32(5, "unavailableReplicas"),
            List(6, "conditions", "DeploymentCondition"),
            I32(8, "collisionCount").Keep());
        s.Message("DeploymentCondition",
            Str(1, "type").Keep(),
            Str(2, "status").Keep(),
            Time(6, "lastUpdateTime"),
            Time(7, "lastTransitionTime"),
            Str(4, "reason"),
            Str(5, "message"));
        s.Kind("apps/v1", "Deployment", "Deployment");

        RegisterBatch(s);
        RegisterIngress(s);

        s.Message("PodDisruptionBudget", Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "PodDisruptionBudgetSpec"));
        s.Message("PodDisruptionBudgetSpec",
            IntStr(1, "minAvailable").Keep(),
            Msg(2, "selector", "LabelSelector"),
            IntStr(3, "maxUnavailable").Keep(),
            Str(4, "unhealthyPodEvictionPolicy").Keep());
        s.Kind("policy/v1", "PodDisruptionBudget", "PodDisruptionBudget");

        s.Message("PriorityClass",
            Msg(1, "metadata", "ObjectMeta"),
            I32(2, "value").Keep(),
            Bool(3, "globalDefault"),
            Str(4, "description"),
            Str(5, "preemptionPolicy").Keep());
        s.Kind("scheduling.k8s.io/v1", "PriorityClass", "PriorityClass");

        s.Message("Lease", Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "LeaseSpec"));
        s.Message("LeaseSpec",
            Str(1, "holderIdentity").Keep(),
            I32(2, "leaseDurationSeconds").Keep(),
            MicroTime(3, "acquireTime"),
            MicroTime(4, "renewTime"),
            I32(5, "leaseTransitions").Keep());
        s.Kind("coordination.k8s.io/v1", "Lease", "Lease");
    }

    private static void RegisterBatch(SchemaSet s)
    {
        s.Message("Job", Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "JobSpec"));
        s.Message("JobSpec",
            I32(1, "parallelism").Keep(),
            I32(2, "completions").Keep(),
            I64(3, "activeDeadlineSeconds").Keep(),
            I32(7, "backoffLimit").Keep(),
            I32(12, "backoffLimitPerIndex").Keep(),
            I32(13, "maxFailedIndexes").Keep(),
            Msg(4, "selector", "LabelSelector"),
            Bool(5, "manualSelector").Keep(),
            Msg(6, "template", "PodTemplateSpec"),
            I32(8, "ttlSecondsAfterFinished").Keep(),
            Str(9, "completionMode").Keep(),
            Bool(10, "suspend").Keep(),
            Str(14, "podReplacementPolicy").Keep(),
            Str(15, "managedBy").Keep());
        s.Kind("batch/v1", "Job", "Job");

        s.Message("CronJob", Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "CronJobSpec"));
        s.Message("CronJobSpec",
            Str(1, "schedule").Keep(),
            Str(8, "timeZone").Keep(),
            I64(2, "startingDeadlineSeconds").Keep(),
            Str(3, "concurrencyPolicy"),
            Bool(4, "suspend").Keep(),
            Msg(5, "jobTemplate", "JobTemplateSpec"),
            I32(6, "successfulJobsHistoryLimit").Keep(),
            I32(7, "failedJobsHistoryLimit").Keep());
        s.Message("JobTemplateSpec", Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "JobSpec"));
        s.Kind("batch/v1", "CronJob", "CronJob");
    }

    private static void RegisterIngress(SchemaSet s)
    {
        s.Message("Ingress", Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "IngressSpec"));
        s.Message("IngressSpec",
            Str(4, "ingressClassName").Keep(),
            Msg(1, "defaultBackend", "IngressBackend"),
            List(2, "tls", "IngressTLS"),
            List(3, "rules", "IngressRule"));
        s.Message("IngressBackend",
            Msg(4, "service", "IngressServiceBackend"),
            Msg(3, "resource", "TypedLocalObjectReference"));
        s.Message("IngressServiceBackend", Str(1, "name").Keep(), Msg(2, "port", "ServiceBackendPort"));
        s.Message("ServiceBackendPort", Str(1, "name"), I32(2, "number"));
        s.Message("IngressTLS", Strs(1, "hosts"), Str(2, "secretName"));
        s.Message("IngressRule", Str(1, "host"), Inline(2, "IngressRuleValue"));
        s.Message("IngressRuleValue", Msg(1, "http", "HTTPIngressRuleValue"));
        s.Message("HTTPIngressRuleValue", List(1, "paths", "HTTPIngressPath"));
        s.Message("HTTPIngressPath",
            Str(1, "path"),
            Str(3, "pathType").Keep(),
            Msg(2, "backend", "IngressBackend"));
        s.Kind("networking.k8s.io/v1", "Ingress", "Ingress");
    }
}
