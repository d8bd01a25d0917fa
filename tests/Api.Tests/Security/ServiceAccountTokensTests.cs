using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using KubeWeb.Api.Security;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Api.Tests.Security;

public class ServiceAccountTokensTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, IKubernetesObject<V1ObjectMeta>> _objects = new(StringComparer.Ordinal);
    private readonly RSA _key = RSA.Create(2048);

    private ServiceAccountTokens Tokens(RSA? key = null) =>
        new(key ?? _key, (resource, ns, name) => _objects.GetValueOrDefault($"{resource}/{ns}/{name}"), _time);

    private V1ServiceAccount Account(string ns = "team", string name = "builder")
    {
        var sa = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = Guid.NewGuid().ToString() } };
        _objects[$"serviceaccounts/{ns}/{name}"] = sa;
        return sa;
    }

    private V1Pod Pod(string ns, string name)
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = Guid.NewGuid().ToString() } };
        _objects[$"pods/{ns}/{name}"] = pod;
        return pod;
    }

    private static JsonElement Payload(string token) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Base64Url(token.Split('.')[1]))).RootElement;

    private static JsonElement Header(string token) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Base64Url(token.Split('.')[0]))).RootElement;

    private static byte[] Base64Url(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (s.Length % 4)) % 4));

    [Fact]
    public async Task Issue_SignsAnRs256JwtWithKubernetesClaims_ThatAuthenticatesAsTheAccount()
    {
        var sa = Account();
        var pod = Pod("team", "web-1");
        var tokens = Tokens();

        var (token, expires) = tokens.Issue(sa, null, 3600, new BoundObject("Pod", "web-1", pod.Metadata.Uid));

        Assert.Equal(_time.GetUtcNow().AddHours(1), expires);
        Assert.Equal("RS256", Header(token).GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(Header(token).GetProperty("kid").GetString()));
        var claims = Payload(token);
        Assert.Equal(ServiceAccountTokens.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal("system:serviceaccount:team:builder", claims.GetProperty("sub").GetString());
        Assert.Equal(expires.ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        var k8sClaim = claims.GetProperty("kubernetes.io");
        Assert.Equal("team", k8sClaim.GetProperty("namespace").GetString());
        Assert.Equal(sa.Metadata.Uid, k8sClaim.GetProperty("serviceaccount").GetProperty("uid").GetString());
        Assert.Equal("web-1", k8sClaim.GetProperty("pod").GetProperty("name").GetString());

        var user = await tokens.AuthenticateAsync(token);
        Assert.NotNull(user);
        Assert.Equal("system:serviceaccount:team:builder", user.UserName);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"], user.Groups);
        Assert.Equal("web-1", user.PodName);
    }

    [Fact]
    public async Task Authenticate_RejectsExpiredTokens()
    {
        var tokens = Tokens();
        var (token, _) = tokens.Issue(Account(), null, 600, null);
        _time.Advance(TimeSpan.FromSeconds(599));
        Assert.NotNull(await tokens.AuthenticateAsync(token));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await tokens.AuthenticateAsync(token));
    }

    [Fact]
    public async Task Authenticate_RejectsTokens_OnceTheAccountOrBoundPodIsGoneOrRecreated()
    {
        var tokens = Tokens();
        var sa = Account();
        var pod = Pod("team", "web-1");
        var (podToken, _) = tokens.Issue(sa, null, 3600, new BoundObject("Pod", "web-1", pod.Metadata.Uid));
        var (plain, _) = tokens.Issue(sa, null, 3600, null);

        _objects.Remove("pods/team/web-1");
        Assert.Null(await tokens.AuthenticateAsync(podToken));
        Assert.NotNull(await tokens.AuthenticateAsync(plain));

        Account(); // recreated under the same name: a new uid
        Assert.Null(await tokens.AuthenticateAsync(plain));
    }

    [Fact]
    public async Task Authenticate_RejectsOtherAudiencesAndOtherKeys()
    {
        var sa = Account();
        var tokens = Tokens();
        var (vault, _) = tokens.Issue(sa, ["vault"], 3600, null);
        Assert.Equal("vault", Payload(vault).GetProperty("aud").EnumerateArray().Single().GetString());
        Assert.Null(await tokens.AuthenticateAsync(vault));

        var (foreign, _) = Tokens(RSA.Create(2048)).Issue(sa, null, 3600, null);
        Assert.Null(await tokens.AuthenticateAsync(foreign));
        Assert.Null(await tokens.AuthenticateAsync("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."));
    }

    [Fact]
    public void Issue_PodBoundToken_NamesThePodAndItsNode()
    {
        var sa = Account();
        var pod = Pod("team", "web-1");
        pod.Spec = new V1PodSpec { NodeName = "worker-1" };
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "worker-1", Uid = Guid.NewGuid().ToString() } };
        _objects["nodes//worker-1"] = node;

        var (token, _) = Tokens().Issue(sa, null, 3600, new BoundObject("Pod", "web-1", pod.Metadata.Uid));

        var k8sClaim = Payload(token).GetProperty("kubernetes.io");
        Assert.Equal(("worker-1", node.Metadata.Uid), (k8sClaim.GetProperty("node").GetProperty("name").GetString(), k8sClaim.GetProperty("node").GetProperty("uid").GetString()));
        Assert.Equal(pod.Metadata.Uid, k8sClaim.GetProperty("pod").GetProperty("uid").GetString());
        Assert.Equal(("builder", sa.Metadata.Uid), (k8sClaim.GetProperty("serviceaccount").GetProperty("name").GetString(), k8sClaim.GetProperty("serviceaccount").GetProperty("uid").GetString()));
        Assert.False(k8sClaim.TryGetProperty("warnafter", out _));
    }

    [Fact]
    public async Task Authenticate_PodBoundToken_CarriesThePodNodeAndCredentialIdAsExtra()
    {
        var sa = Account();
        var pod = Pod("team", "web-1");
        pod.Spec = new V1PodSpec { NodeName = "worker-1" };
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "worker-1", Uid = Guid.NewGuid().ToString() } };
        _objects["nodes//worker-1"] = node;
        var tokens = Tokens();
        var (token, _) = tokens.Issue(sa, null, 3600, new BoundObject("Pod", "web-1", pod.Metadata.Uid));

        var extra = (await tokens.AuthenticateAsync(token))!.Extra()!;

        Assert.Equal(["web-1"], extra["authentication.kubernetes.io/pod-name"]);
        Assert.Equal([pod.Metadata.Uid], extra["authentication.kubernetes.io/pod-uid"]);
        Assert.Equal(["worker-1"], extra["authentication.kubernetes.io/node-name"]);
        Assert.Equal([node.Metadata.Uid], extra["authentication.kubernetes.io/node-uid"]);
        Assert.Equal(["JTI=" + Payload(token).GetProperty("jti").GetString()], extra["authentication.kubernetes.io/credential-id"]);
    }

    [Fact]
    public async Task Issue_KubeApiAccessRequest_IsExtendedToAYear_WithWarnAfterAtTheRequestedLifetime()
    {
        var sa = Account();
        var pod = Pod("team", "web-1");
        var tokens = Tokens();
        var issued = _time.GetUtcNow();

        var (token, expires) = tokens.Issue(sa, null, ServiceAccountTokens.WarnOnlyExpirationSeconds, new BoundObject("Pod", "web-1", pod.Metadata.Uid));

        // TokenRequest's status keeps the requested lifetime, so the node refreshes the token as often as ever.
        Assert.Equal(issued.AddSeconds(3607), expires);
        var claims = Payload(token);
        Assert.Equal(issued.AddSeconds(3607).ToUnixTimeSeconds(), claims.GetProperty("kubernetes.io").GetProperty("warnafter").GetInt64());
        Assert.Equal(issued.AddDays(365).ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        _time.Advance(TimeSpan.FromDays(30));
        Assert.NotNull(await tokens.AuthenticateAsync(token));
    }

    [Fact]
    public void Issue_OtherLifetimesAudiencesOrUnboundTokens_AreNotExtended()
    {
        var sa = Account();
        var pod = Pod("team", "web-1");
        var tokens = Tokens();
        var bound = new BoundObject("Pod", "web-1", pod.Metadata.Uid);

        foreach (var (audiences, seconds, to) in new (string[]? Audiences, long Seconds, BoundObject? To)[] { (null, 3600, bound), (["vault"], 3607, bound), (null, 3607, null) })
        {
            var (token, expires) = tokens.Issue(sa, audiences, seconds, to);

            var claims = Payload(token);
            Assert.Equal(expires.ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
            Assert.False(claims.GetProperty("kubernetes.io").TryGetProperty("warnafter", out _));
        }
    }
}
