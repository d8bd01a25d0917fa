using System.Globalization;

namespace KubeWeb.E2E.Kubectl;

/// <summary>YAML manifests the scenarios feed to <c>kubectl -f -</c>.</summary>
internal static class Manifests
{
    /// <summary>A pod; <paramref name="labels"/> is a YAML flow mapping, <paramref name="extraSpec"/> extra lines under spec.</summary>
    public static string Pod(string ns, string name, string labels = "{app: web}", string extraSpec = "") => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          namespace: {ns}
          labels: {labels}
        spec:
          containers:
          - name: main
            image: nginx:1.25
        {extraSpec}
        """;

    /// <summary>A ConfigMap; <paramref name="data"/> is a YAML flow mapping such as <c>{a: "1"}</c>.</summary>
    public static string ConfigMap(string ns, string name, string data) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          namespace: {ns}
        data: {data}
        """;

    /// <summary>A Deployment whose selector and template both carry app=NAME, unless told otherwise.</summary>
    public static string Deployment(
        string ns, string name, string image = "nginx:1.25", string tier = "v1", int replicas = 1,
        string? templateApp = null, string sidecar = "") => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
          labels:
            app: {name}
            tier: {tier}
        spec:
          replicas: {replicas}
          selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {templateApp ?? name}
            spec:
              containers:
              - name: web
                image: {image}
        {sidecar}
        """;

    /// <summary>A second container for <see cref="Deployment"/>, indented to sit in its container list.</summary>
    public const string Sidecar = "      - name: sidecar\n        image: busybox:1.36";

    /// <summary>A core/v1 Event about a pod, as a kubelet or controller would record it.</summary>
    public static string PodEvent(string ns, string pod, string uid, string reason, string message)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"""
            apiVersion: v1
            kind: Event
            metadata:
              name: {pod}.e2e
              namespace: {ns}
            involvedObject:
              apiVersion: v1
              kind: Pod
              name: {pod}
              namespace: {ns}
              uid: {uid}
            reason: {reason}
            message: {message}
            type: Warning
            source:
              component: e2e-suite
            firstTimestamp: "{now}"
            lastTimestamp: "{now}"
            count: 1
            """;
    }
}
