using System.Text.RegularExpressions;
using KubeWeb.E2E.Cluster;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Rollout;

/// <summary>
/// kubectl 1.32's rollout commands against the Deployment and ReplicaSet controllers, the
/// scheduler and simulated nodes: the whole control loop.
/// </summary>
[Trait("Category", "E2E")]
public sealed partial class RolloutScenarios(SimulatedCluster cluster, ITestOutputHelper output) : IClassFixture<SimulatedCluster>, IDisposable
{
    private readonly Infrastructure.Kubectl _kubectl = new(cluster.Server.KubeconfigPath, output);

    public void Dispose() => _kubectl.Dispose();

    [Fact]
    public async Task CreateScaleSetImage_RolloutStatusHistoryAndUndo()
    {
        const string ns = "rollout-main";
        (await _kubectl.RunAsync("create", "namespace", ns)).Succeeded();

        (await Kubectl(ns, "create", "deployment", "nginx", "--image=nginx:1.25", "--replicas=2")).Succeeded().Shows("deployment.apps/nginx created");
        (await Kubectl(ns, "rollout", "status", "deployment/nginx", "--timeout=60s")).Succeeded().Shows("deployment \"nginx\" successfully rolled out");

        var rs = (await Kubectl(ns, "get", "rs")).Succeeded();
        Assert.Matches(HashNamedReplicaSet(), rs.Lines[1]);
        Assert.Matches(@"\s2\s+2\s+2\s", rs.Lines[1]);

        (await Kubectl(ns, "scale", "deployment", "nginx", "--replicas=3")).Succeeded().Shows("deployment.apps/nginx scaled");
        (await Kubectl(ns, "rollout", "status", "deployment/nginx", "--timeout=60s")).Succeeded();
        (await Kubectl(ns, "get", "deployment", "nginx")).Succeeded().Shows("3/3");

        (await Kubectl(ns, "set", "image", "deployment/nginx", "nginx=nginx:1.26")).Succeeded().Shows("image updated");
        (await Kubectl(ns, "annotate", "deployment/nginx", "kubernetes.io/change-cause=image 1.26")).Succeeded();
        var status = (await Kubectl(ns, "rollout", "status", "deployment/nginx", "--timeout=60s")).Succeeded();
        Assert.Contains(status.Lines, l => l.StartsWith("Waiting for deployment \"nginx\" rollout to finish: ", StringComparison.Ordinal));
        Assert.Equal("deployment \"nginx\" successfully rolled out", status.Lines[^1]);

        var history = (await Kubectl(ns, "rollout", "history", "deployment/nginx")).Succeeded();
        Assert.Contains(history.Lines, l => Regex.IsMatch(l, @"^REVISION\s+CHANGE-CAUSE$"));
        Assert.Contains(history.Lines, l => Regex.IsMatch(l, @"^1\s+<none>$"));
        Assert.Contains(history.Lines, l => Regex.IsMatch(l, @"^2\s+image 1\.26$"));
        (await Kubectl(ns, "rollout", "history", "deployment/nginx", "--revision=2")).Succeeded()
            .Shows("revision #2", "pod-template-hash=", "nginx:1.26");

        (await Kubectl(ns, "rollout", "undo", "deployment/nginx")).Succeeded().Shows("deployment.apps/nginx rolled back");
        (await Kubectl(ns, "rollout", "status", "deployment/nginx", "--timeout=60s")).Succeeded();
        Assert.Equal("nginx:1.25", await ImageAsync(ns, "nginx"));
        Assert.Equal(["2", "3"], await RevisionsAsync(ns, "nginx"));

        (await Kubectl(ns, "rollout", "undo", "deployment/nginx", "--to-revision=2")).Succeeded().Shows("deployment.apps/nginx rolled back");
        (await Kubectl(ns, "rollout", "status", "deployment/nginx", "--timeout=60s")).Succeeded();
        Assert.Equal("nginx:1.26", await ImageAsync(ns, "nginx"));
        Assert.Equal(["3", "4"], await RevisionsAsync(ns, "nginx"));
        (await Kubectl(ns, "rollout", "undo", "deployment/nginx", "--to-revision=4")).Succeeded()
            .Shows("skipped rollback (current template already matches revision 4)");
        (await Kubectl(ns, "get", "rs")).Succeeded().Shows("nginx-");
    }

    [Fact]
    public async Task PauseResumeRestart()
    {
        const string ns = "rollout-pause";
        (await _kubectl.RunAsync("create", "namespace", ns)).Succeeded();
        (await Kubectl(ns, "create", "deployment", "web", "--image=nginx:1", "--replicas=2")).Succeeded();
        (await Kubectl(ns, "rollout", "status", "deployment/web", "--timeout=60s")).Succeeded();

        (await Kubectl(ns, "rollout", "pause", "deployment/web")).Succeeded().Shows("deployment.apps/web paused");
        (await Kubectl(ns, "set", "image", "deployment/web", "nginx=nginx:2")).Succeeded();
        (await Kubectl(ns, "scale", "deployment", "web", "--replicas=3")).Succeeded();
        await EventuallyAsync(async () => (await Kubectl(ns, "get", "deployment", "web")).Stdout.Contains("3/3", StringComparison.Ordinal));
        var paused = (await Kubectl(ns, "get", "rs", "--no-headers")).Succeeded();
        Assert.Single(paused.Lines);
        Assert.Matches(@"\s3\s+3\s+3\s", paused.Lines[0]);
        Assert.Equal("nginx:1", (await Kubectl(ns, "get", "pods", "-o", "jsonpath={.items[*].spec.containers[0].image}")).Stdout.Split(' ').Distinct().Single());

        (await Kubectl(ns, "rollout", "resume", "deployment/web")).Succeeded().Shows("deployment.apps/web resumed");
        (await Kubectl(ns, "rollout", "status", "deployment/web", "--timeout=60s")).Succeeded().Shows("successfully rolled out");
        Assert.Equal(2, (await Kubectl(ns, "get", "rs", "--no-headers")).Lines.Count);

        (await Kubectl(ns, "rollout", "restart", "deployment/web")).Succeeded().Shows("deployment.apps/web restarted");
        (await Kubectl(ns, "rollout", "status", "deployment/web", "--timeout=60s")).Succeeded().Shows("successfully rolled out");
        var sets = (await Kubectl(ns, "get", "rs", "--no-headers")).Lines;
        Assert.Equal(3, sets.Count);
        Assert.All(sets, l => Assert.Matches(HashNamedReplicaSet(), l));
        (await Kubectl(ns, "get", "deployment", "web", "-o", "jsonpath={.spec.template.metadata.annotations}")).Succeeded()
            .Shows("kubectl.kubernetes.io/restartedAt");
        Assert.Equal(["1", "2", "3"], await RevisionsAsync(ns, "web"));
    }

    [Fact]
    public async Task DeletingAPod_TheReplicaSetReplacesIt()
    {
        const string ns = "rollout-heal";
        (await _kubectl.RunAsync("create", "namespace", ns)).Succeeded();
        (await Kubectl(ns, "create", "deployment", "heal", "--image=nginx", "--replicas=2")).Succeeded();
        (await Kubectl(ns, "rollout", "status", "deployment/heal", "--timeout=60s")).Succeeded();

        var pods = (await Kubectl(ns, "get", "pods", "-o", "name")).Succeeded().Lines;
        Assert.Equal(2, pods.Count);
        (await Kubectl(ns, "delete", pods[0])).Succeeded().Shows("deleted");

        await EventuallyAsync(async () =>
        {
            var now = (await Kubectl(ns, "get", "pods", "--no-headers")).Lines;
            return now.Count == 2 && now.All(l => !l.StartsWith(pods[0]["pod/".Length..] + " ", StringComparison.Ordinal) && l.Contains("Running", StringComparison.Ordinal));
        });
        (await Kubectl(ns, "rollout", "status", "deployment/heal", "--timeout=60s")).Succeeded();
    }

    private Task<KubectlResult> Kubectl(string ns, params string[] args) =>
        _kubectl.RunAsync(["-n", ns, .. args], stdin: null, timeout: TimeSpan.FromSeconds(90));

    private async Task<string> ImageAsync(string ns, string name) =>
        (await Kubectl(ns, "get", "deployment", name, "-o", "jsonpath={.spec.template.spec.containers[0].image}")).Succeeded().Stdout.Trim();

    private async Task<List<string>> RevisionsAsync(string ns, string name)
    {
        var history = (await Kubectl(ns, "rollout", "history", "deployment/" + name)).Succeeded();
        return [.. history.Lines.Skip(2).Select(l => l.Split(' ', 2)[0])];
    }

    private static Task EventuallyAsync(Func<Task<bool>> condition) => Eventually.AssertAsync(condition, "condition");

    [GeneratedRegex(@"^[a-z]+-[bcdfghjklmnpqrstvwxz2456789]+\s")]
    private static partial Regex HashNamedReplicaSet();
}
