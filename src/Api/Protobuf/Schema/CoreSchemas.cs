using static KubeWeb.Api.Protobuf.Schema.Fields;

namespace KubeWeb.Api.Protobuf.Schema;

/// <summary>core/v1 kinds other than pods: Secret, ConfigMap, Namespace, ServiceAccount, ResourceQuota, Service.</summary>
internal static class CoreSchemas
{
    public static void Register(SchemaSet s)
    {
        s.Message("Secret",
            Msg(1, "metadata", "ObjectMeta"),
            Bool(5, "immutable").Keep(),
            BytesMap(2, "data"),
            StrMap(4, "stringData"),
            Str(3, "type"));
        s.Kind("v1", "Secret", "Secret");

        s.Message("ConfigMap",
            Msg(1, "metadata", "ObjectMeta"),
            Bool(4, "immutable").Keep(),
            StrMap(2, "data"),
            BytesMap(3, "binaryData"));
        s.Kind("v1", "ConfigMap", "ConfigMap");

        s.Message("Namespace",
            Msg(1, "metadata", "ObjectMeta"),
            Msg(2, "spec", "NamespaceSpec"),
            Msg(3, "status", "NamespaceStatus"));
        s.Message("NamespaceSpec", Strs(1, "finalizers"));
        s.Message("NamespaceStatus", Str(1, "phase"));
        s.Kind("v1", "Namespace", "Namespace");

        s.Message("ServiceAccount",
            Msg(1, "metadata", "ObjectMeta"),
            List(2, "secrets", "ObjectReference"),
            List(3, "imagePullSecrets", "LocalObjectReference"),
            Bool(4, "automountServiceAccountToken").Keep());
        s.Kind("v1", "ServiceAccount", "ServiceAccount");

        s.Message("ResourceQuota",
            Msg(1, "metadata", "ObjectMeta"),
            Msg(2, "spec", "ResourceQuotaSpec"),
            Msg(3, "status", "ResourceQuotaStatus"));
        s.Message("ResourceQuotaSpec",
            QtyMap(1, "hard"),
            Strs(2, "scopes"),
            Msg(3, "scopeSelector", "ScopeSelector"));
        s.Message("ScopeSelector", List(1, "matchExpressions", "ScopedResourceSelectorRequirement"));
        s.Message("ScopedResourceSelectorRequirement",
            Str(1, "scopeName").Keep(),
            Str(2, "operator").Keep(),
            Strs(3, "values"));
        s.Message("ResourceQuotaStatus", QtyMap(1, "hard"), QtyMap(2, "used"));
        s.Kind("v1", "ResourceQuota", "ResourceQuota");

        RegisterService(s);
    }

    private static void RegisterService(SchemaSet s)
    {
        s.Message("Service",
            Msg(1, "metadata", "ObjectMeta"),
            Msg(2, "spec", "ServiceSpec"),
            Msg(3, "status", "ServiceStatus"));
        s.Message("ServiceSpec",
            List(1, "ports", "ServicePort"),
            StrMap(2, "selector"),
            Str(3, "clusterIP"),
            Strs(18, "clusterIPs"),
            Str(4, "type"),
            Strs(5, "externalIPs"),
            Str(7, "sessionAffinity"),
            Str(8, "loadBalancerIP"),
            Strs(9, "loadBalancerSourceRanges"),
            Str(10, "externalName"),
            Str(11, "externalTrafficPolicy"),
            I32(12, "healthCheckNodePort"),
            Bool(13, "publishNotReadyAddresses"),
            Msg(14, "sessionAffinityConfig", "SessionAffinityConfig"),
            Strs(19, "ipFamilies"),
            Str(17, "ipFamilyPolicy").Keep(),
            Bool(20, "allocateLoadBalancerNodePorts").Keep(),
            Str(21, "loadBalancerClass").Keep(),
            Str(22, "internalTrafficPolicy").Keep(),
            Str(23, "trafficDistribution").Keep());
        s.Message("ServicePort",
            Str(1, "name"),
            Str(2, "protocol"),
            Str(6, "appProtocol").Keep(),
            I32(3, "port").Keep(),
            IntStr(4, "targetPort"),
            I32(5, "nodePort"));
        s.Message("SessionAffinityConfig", Msg(1, "clientIP", "ClientIPConfig"));
        s.Message("ClientIPConfig", I32(1, "timeoutSeconds").Keep());
        s.Message("ServiceStatus", Msg(1, "loadBalancer", "LoadBalancerStatus"), List(2, "conditions", "Condition"));
        s.Message("LoadBalancerStatus", List(1, "ingress", "LoadBalancerIngress"));
        s.Message("LoadBalancerIngress", Str(1, "ip"), Str(2, "hostname"), Str(3, "ipMode").Keep());
        s.Kind("v1", "Service", "Service");
    }
}
