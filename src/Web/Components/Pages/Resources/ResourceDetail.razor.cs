using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using KubeWeb.Core.Serialization;
using KubeWeb.Web.Api;
using KubeWeb.Web.Live;
using KubeWeb.Web.State;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KubeWeb.Web.Components.Pages.Resources;

/// <summary>One object, kept live by a watch on its name: summary, kind-specific tabs and actions, events and YAML.</summary>
public sealed partial class ResourceDetail : ComponentBase, IDisposable
{
    private CancellationTokenSource? _cts;
    private (string, string, string)? _following;
    private JsonObject? _object;
    private V1Pod? _pod;
    private V1Deployment? _deployment;
    private V1Node? _node;
    private ApiProblem? _problem;
    private bool _deleted;
    private int _tab;

    [Parameter]
    public string Plural { get; set; } = "";

    /// <summary>The namespace, or "-" for cluster-scoped kinds.</summary>
    [Parameter]
    public string Ns { get; set; } = "-";

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    private ConsoleSession Session { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private ConsoleKind? Kind => ConsoleKinds.ByPlural(Plural);

    private string? Namespace => Ns == "-" ? null : Ns;

    private string? Uid => (string?)_object?["metadata"]?["uid"];

    private int Replicas => _object?["spec"]?["replicas"] is JsonValue v && v.TryGetValue<int>(out var r) ? r : 0;

    private V1Pod? Pod => _pod;

    private V1Deployment? Deployment => _deployment;

    private V1Node? Node => _node;

    private static double? Allocatable(V1Node node, string resource) =>
        node.Status?.Allocatable?.TryGetValue(resource, out var q) == true ? (double)q.ToDecimal() : null;

    /// <summary>The pod's summed container limits, when every container sets one (else there is no ceiling to draw).</summary>
    private static double? Limits(V1Pod pod, string resource)
    {
        var limits = (pod.Spec?.Containers ?? []).Select(c => c.Resources?.Limits?.TryGetValue(resource, out var q) == true ? (double?)(double)q.ToDecimal() : null).ToList();
        return limits.Count > 0 && limits.All(l => l is not null) ? limits.Sum() : null;
    }

    private List<BreadcrumbItem> Crumbs =>
    [
        new(Kind?.Title ?? Plural, Kind?.ListHref ?? "/"),
        .. Namespace is null ? Array.Empty<BreadcrumbItem>() : [new BreadcrumbItem(Namespace, null, disabled: true)],
        new(Name, null, disabled: true),
    ];

    protected override void OnParametersSet()
    {
        if (Kind is null || _following == (Plural, Ns, Name))
        {
            return;
        }

        _following = (Plural, Ns, Name);
        _cts?.Cancel();
        _cts?.Dispose();
        _cts = new CancellationTokenSource();
        _object = null;
        _problem = null;
        _deleted = false;
        _tab = 0;
        _ = FollowAsync(Kind, _cts.Token);
    }

    private async Task FollowAsync(ConsoleKind kind, CancellationToken ct)
    {
        try
        {
            await foreach (var s in LiveFeeds.ObjectAsync(Session, kind.Type, Namespace, Name, Time, ct))
            {
                await InvokeAsync(() =>
                {
                    _problem = s.Problem;
                    if (s.Items.Count > 0)
                    {
                        Set(s.Items[0]);
                        _deleted = false;
                    }
                    else if (s.Problem is null && _object is not null)
                    {
                        _deleted = true;
                    }

                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void Set(JsonObject obj)
    {
        _object = obj;
        _pod = Plural == "pods" ? obj.Deserialize<V1Pod>(KubeJson.Options) : null;
        _deployment = Plural == "deployments" ? obj.Deserialize<V1Deployment>(KubeJson.Options) : null;
        _node = Plural == "nodes" ? obj.Deserialize<V1Node>(KubeJson.Options) : null;
    }

    private void Deleted() => Navigation.NavigateTo(Kind!.ListHref);

    public void Dispose()
    {
        _cts?.Cancel();
        _cts?.Dispose();
    }
}
