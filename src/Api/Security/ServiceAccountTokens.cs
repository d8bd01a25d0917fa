using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using k8s;
using k8s.Models;
using KubeWeb.Api.Storage;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KubeWeb.Api.Security;

/// <summary>Who a valid service account token speaks for.</summary>
public sealed record ServiceAccountUser(string Namespace, string Name, string Uid, string? PodName)
{
    public string UserName => $"system:serviceaccount:{Namespace}:{Name}";

    public IReadOnlyList<string> Groups => ["system:serviceaccounts", $"system:serviceaccounts:{Namespace}", "system:authenticated"];

    public string? PodUid { get; init; }

    public string? NodeName { get; init; }

    public string? NodeUid { get; init; }

    /// <summary>The token's <c>jti</c>.</summary>
    public string? TokenId { get; init; }

    /// <summary>The user's extra as kube-apiserver sets it for service account tokens (bound pod and node, credential id), or null.</summary>
    public Dictionary<string, IList<string>>? Extra()
    {
        var extra = new Dictionary<string, IList<string>>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                extra["authentication.kubernetes.io/" + key] = [value];
            }
        }

        Add("credential-id", TokenId is null ? null : "JTI=" + TokenId);
        Add("node-name", NodeName);
        Add("node-uid", NodeUid);
        Add("pod-name", PodName);
        Add("pod-uid", PodUid);
        return extra.Count > 0 ? extra : null;
    }
}

/// <summary>The object a token is bound to: it stops working once that object is gone.</summary>
public sealed record BoundObject(string Kind, string Name, string Uid);

/// <summary>
/// Issues and checks bound service account tokens as kube-apiserver does: RS256 JWTs signed with
/// the service-account key (kept in the data dir, so tokens survive restarts), issuer
/// <see cref="Issuer"/>, subject <c>system:serviceaccount:NS:NAME</c> and the private
/// <c>kubernetes.io</c> claim naming the namespace, the account, the bound pod (and its node) or secret. A token
/// is accepted while it has not expired, its audience is the API's, and the account (and bound
/// object) still exist with the uids it names.
/// </summary>
public sealed class ServiceAccountTokens
{
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    /// <summary>Upstream's minimum token lifetime (TokenRequest rejects shorter ones).</summary>
    public const long MinExpirationSeconds = 600;

    public const long DefaultExpirationSeconds = 3600;

    /// <summary>
    /// The lifetime the kubelet asks for kube-api-access tokens (an hour and 7 seconds): such a pod-bound
    /// token for the API's audience is extended to <see cref="ExtendedExpirationSeconds"/> with a
    /// <c>warnafter</c> at the requested hour, so old clients that never reload it keep working.
    /// </summary>
    public const long WarnOnlyExpirationSeconds = 3607;

    /// <summary>Upstream's extension (<c>--service-account-extend-token-expiration</c>): a year.</summary>
    public const long ExtendedExpirationSeconds = 365L * 24 * 60 * 60;

    private const string PrivateClaim = "kubernetes.io";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly RsaSecurityKey _key;
    private readonly SigningCredentials _signing;
    private readonly Func<string, string, string, IKubernetesObject<V1ObjectMeta>?> _lookup;
    private readonly TimeProvider _time;

    public ServiceAccountTokens(ApiServerOptions options, ObjectStore store, TimeProvider time)
        : this(LoadOrCreateKey(options.ServiceAccountKeyFile), (resource, ns, name) => store.Get(resource, ns, name)?.Object, time)
    {
    }

    /// <summary>For tests: objects come from <paramref name="lookup"/> (resource, namespace, name).</summary>
    internal ServiceAccountTokens(RSA rsa, Func<string, string, string, IKubernetesObject<V1ObjectMeta>?> lookup, TimeProvider time)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: true);
        _key = new RsaSecurityKey(parameters) { KeyId = KeyId(rsa) };
        _signing = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256);
        _lookup = lookup;
        _time = time;
    }

    /// <summary>
    /// A signed token for <paramref name="account"/>; the caller has validated the request. As
    /// kube-apiserver: a pod-bound token also names the pod's node, and a kube-api-access request
    /// (<see cref="WarnOnlyExpirationSeconds"/>) is extended with a <c>warnafter</c>.
    /// <c>Expires</c> is what TokenRequest's status reports: the requested lifetime, even when extended.
    /// </summary>
    public (string Token, DateTimeOffset Expires) Issue(V1ServiceAccount account, IReadOnlyList<string>? audiences, long expirationSeconds, BoundObject? bound)
    {
        var now = _time.GetUtcNow();
        var nowSeconds = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expires = nowSeconds.AddSeconds(expirationSeconds);
        var ns = account.Metadata.NamespaceProperty;
        var kubernetes = new Dictionary<string, object>
        {
            ["namespace"] = ns,
            ["serviceaccount"] = Ref(account.Metadata.Name, account.Metadata.Uid),
        };
        if (bound is not null)
        {
            kubernetes[bound.Kind == "Pod" ? "pod" : "secret"] = Ref(bound.Name, bound.Uid);
        }

        if (bound?.Kind == "Pod" && _lookup("pods", ns, bound.Name) is V1Pod { Spec.NodeName: { Length: > 0 } nodeName }
            && _lookup("nodes", "", nodeName) is { } node)
        {
            kubernetes["node"] = Ref(node.Metadata.Name, node.Metadata.Uid);
        }

        var tokenExpires = expires;
        var apiAudience = audiences is not { Count: > 0 } || audiences.All(a => a == Issuer);
        if (bound?.Kind == "Pod" && expirationSeconds == WarnOnlyExpirationSeconds && apiAudience)
        {
            tokenExpires = nowSeconds.AddSeconds(ExtendedExpirationSeconds);
            kubernetes["warnafter"] = expires.ToUnixTimeSeconds();
        }

        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = $"system:serviceaccount:{ns}:{account.Metadata.Name}",
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
            [JwtRegisteredClaimNames.Aud] = audiences is { Count: > 0 } ? audiences.ToArray() : new[] { Issuer },
            [PrivateClaim] = kubernetes,
        };
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = nowSeconds.UtcDateTime,
            NotBefore = nowSeconds.UtcDateTime,
            Expires = tokenExpires.UtcDateTime,
            Claims = claims,
            SigningCredentials = _signing,
        });
        return (token, expires);
    }

    /// <summary>True for a string shaped like a JWT (three base64url parts): worth checking here.</summary>
    public static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2 && token.StartsWith("eyJ", StringComparison.Ordinal);

    /// <summary>The user a token speaks for, or null when it is not valid (any reason).</summary>
    public async Task<ServiceAccountUser?> AuthenticateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Issuer,
            IssuerSigningKey = _key,
            // Lifetime is checked below against the injected clock.
            ValidateLifetime = false,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (jwt.ValidTo == DateTime.MinValue || now >= new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero)
            || (jwt.ValidFrom != DateTime.MinValue && now.AddSeconds(60) < new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero)))
        {
            return null;
        }

        if (!jwt.TryGetPayloadValue<JsonElement>(PrivateClaim, out var k8sClaim) || k8sClaim.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var ns = Str(k8sClaim, "namespace");
        var (saName, saUid) = Ref(k8sClaim, "serviceaccount");
        if (ns is null || saName is null || _lookup("serviceaccounts", ns, saName) is not { } account || account.Metadata.Uid != saUid)
        {
            return null;
        }

        var (podName, podUid) = Ref(k8sClaim, "pod");
        if (podName is not null && (_lookup("pods", ns, podName) is not { } pod || pod.Metadata.Uid != podUid))
        {
            return null;
        }

        var (secretName, secretUid) = Ref(k8sClaim, "secret");
        if (secretName is not null && (_lookup("secrets", ns, secretName) is not { } secret || secret.Metadata.Uid != secretUid))
        {
            return null;
        }

        var (nodeName, nodeUid) = Ref(k8sClaim, "node");
        return new ServiceAccountUser(ns, saName, saUid!, podName)
        {
            PodUid = podUid,
            NodeName = nodeName,
            NodeUid = nodeUid,
            TokenId = string.IsNullOrEmpty(jwt.Id) ? null : jwt.Id,
        };
    }

    private static Dictionary<string, object> Ref(string name, string uid) => new() { ["name"] = name, ["uid"] = uid };

    private static string? Str(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static (string? Name, string? Uid) Ref(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? (Str(v, "name"), Str(v, "uid")) : (null, null);

    /// <summary>Upstream's key id: the unpadded base64url SHA-256 of the public key's DER.</summary>
    private static string KeyId(RSA rsa) => Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()));

    /// <summary>The PEM key at <paramref name="path"/>, created (mode 0600) when missing; a fresh in-memory key when no path is set.</summary>
    private static RSA LoadOrCreateKey(string? path)
    {
        var rsa = RSA.Create(2048);
        if (string.IsNullOrEmpty(path))
        {
            return rsa;
        }

        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return rsa;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, rsa.ExportRSAPrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return rsa;
    }
}
