using System.Text.Json.Nodes;
using KubeWeb.Web.Api;
using KubeWeb.Web.State;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KubeWeb.Web.Components.Pages.Resources;

/// <summary>One object: summary, events and YAML, with scale and delete.</summary>
public sealed partial class ResourceDetail : ComponentBase
{
    private JsonObject? _object;
    private ApiProblem? _problem;
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
    private NavigationManager Navigation { get; set; } = default!;

    private ConsoleKind? Kind => ConsoleKinds.ByPlural(Plural);

    private string? Namespace => Ns == "-" ? null : Ns;

    private string? Uid => (string?)_object?["metadata"]?["uid"];

    private int Replicas => _object?["spec"]?["replicas"] is JsonValue v && v.TryGetValue<int>(out var r) ? r : 0;

    private List<BreadcrumbItem> Crumbs =>
    [
        new(Kind?.Title ?? Plural, Kind?.ListHref ?? "/"),
        .. Namespace is null ? Array.Empty<BreadcrumbItem>() : [new BreadcrumbItem(Namespace, null, disabled: true)],
        new(Name, null, disabled: true),
    ];

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        if (Kind is null)
        {
            return;
        }

        try
        {
            var api = await Session.GetApiAsync();
            _object = await api.GetJsonAsync(Kind.Type, Namespace, Name, CancellationToken.None);
            _problem = null;
        }
        catch (Exception e)
        {
            _problem = ApiErrors.Describe(e);
        }
    }

    private void Deleted() => Navigation.NavigateTo(Kind!.ListHref);
}
