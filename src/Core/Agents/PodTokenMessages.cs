namespace KubeWeb.Core.Agents;

/// <summary>
/// A token for the service account of one of the node's pods (its <c>spec.serviceAccountName</c>),
/// bound to that pod: the server issues it only for a pod bound to the asking node with that uid.
/// <paramref name="Audience"/> null means the API server's own audience.
/// </summary>
public sealed record PodTokenRequest(string Namespace, string PodName, string PodUid, string? Audience, long ExpirationSeconds);

/// <summary>The signed JWT and when it expires.</summary>
public sealed record PodTokenResult(string Token, DateTimeOffset ExpirationTimestamp);
