using static KubeWeb.Api.Protobuf.Schema.Fields;

namespace KubeWeb.Api.Protobuf.Schema;

/// <summary>
/// core/v1 volumes and mounts. Only the in-tree sources people still write by hand are listed;
/// any other source (nfs aside) is skipped as an unknown field.
/// </summary>
internal static class VolumeSchemas
{
    public static void Register(SchemaSet s)
    {
        s.Message("Volume", Str(1, "name").Keep(), Inline(2, "VolumeSource"));
        s.Message("VolumeSource",
            Msg(1, "hostPath", "HostPathVolumeSource"),
            Msg(2, "emptyDir", "EmptyDirVolumeSource"),
            Msg(6, "secret", "SecretVolumeSource"),
            Msg(7, "nfs", "NFSVolumeSource"),
            Msg(10, "persistentVolumeClaim", "PersistentVolumeClaimVolumeSource"),
            Msg(16, "downwardAPI", "DownwardAPIVolumeSource"),
            Msg(19, "configMap", "ConfigMapVolumeSource"),
            Msg(26, "projected", "ProjectedVolumeSource"),
            Msg(28, "csi", "CSIVolumeSource"));

        s.Message("HostPathVolumeSource", Str(1, "path").Keep(), Str(2, "type").Keep());
        s.Message("EmptyDirVolumeSource", Str(1, "medium"), Qty(2, "sizeLimit"));
        s.Message("SecretVolumeSource",
            Str(1, "secretName"),
            List(2, "items", "KeyToPath"),
            I32(3, "defaultMode").Keep(),
            Bool(4, "optional").Keep());
        s.Message("NFSVolumeSource", Str(1, "server").Keep(), Str(2, "path").Keep(), Bool(3, "readOnly"));
        s.Message("PersistentVolumeClaimVolumeSource", Str(1, "claimName").Keep(), Bool(2, "readOnly"));
        s.Message("DownwardAPIVolumeSource", List(1, "items", "DownwardAPIVolumeFile"), I32(2, "defaultMode").Keep());
        s.Message("DownwardAPIVolumeFile",
            Str(1, "path").Keep(),
            Msg(2, "fieldRef", "ObjectFieldSelector"),
            Msg(3, "resourceFieldRef", "ResourceFieldSelector"),
            I32(4, "mode").Keep());
        s.Message("ConfigMapVolumeSource",
            Inline(1, "LocalObjectReference"),
            List(2, "items", "KeyToPath"),
            I32(3, "defaultMode").Keep(),
            Bool(4, "optional").Keep());
        s.Message("KeyToPath", Str(1, "key").Keep(), Str(2, "path").Keep(), I32(3, "mode").Keep());
        s.Message("ProjectedVolumeSource", List(1, "sources", "VolumeProjection"), I32(2, "defaultMode").Keep());
        s.Message("VolumeProjection",
            Msg(1, "secret", "ObjectProjection"),
            Msg(2, "downwardAPI", "DownwardAPIProjection"),
            Msg(3, "configMap", "ObjectProjection"),
            Msg(4, "serviceAccountToken", "ServiceAccountTokenProjection"));
        // SecretProjection and ConfigMapProjection share one wire shape.
        s.Message("ObjectProjection",
            Inline(1, "LocalObjectReference"),
            List(2, "items", "KeyToPath"),
            Bool(4, "optional").Keep());
        s.Message("DownwardAPIProjection", List(1, "items", "DownwardAPIVolumeFile"));
        s.Message("ServiceAccountTokenProjection",
            Str(1, "audience"),
            I64(2, "expirationSeconds").Keep(),
            Str(3, "path").Keep());
        s.Message("CSIVolumeSource",
            Str(1, "driver").Keep(),
            Bool(2, "readOnly").Keep(),
            Str(3, "fsType").Keep(),
            StrMap(4, "volumeAttributes"),
            Msg(5, "nodePublishSecretRef", "LocalObjectReference"));

        s.Message("VolumeMount",
            Str(1, "name").Keep(),
            Bool(2, "readOnly"),
            Str(7, "recursiveReadOnly").Keep(),
            Str(3, "mountPath").Keep(),
            Str(4, "subPath"),
            Str(5, "mountPropagation").Keep(),
            Str(6, "subPathExpr"));
    }
}
