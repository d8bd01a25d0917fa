namespace KubeWeb.Web.Map;

public enum MapHealth
{
    Healthy,
    Progressing,
    Failing,
    Idle,
}

/// <summary>One box on the map: an object, where it sits and how healthy it looks.</summary>
public sealed record MapNode(string Id, string Kind, string Plural, string Namespace, string Name, int Column, double Y, MapHealth Health, string Status)
{
    public string Href => $"/r/{Plural}/{Uri.EscapeDataString(Namespace)}/{Uri.EscapeDataString(Name)}";
}

/// <summary>A relation drawn as a line: ownership, selection, endpoint or backend.</summary>
public sealed record MapEdge(string From, string To, string Relation);

/// <summary>A laid-out map. <see cref="HiddenPods"/> counts pods left out to keep it readable.</summary>
public sealed record MapGraph(IReadOnlyList<MapNode> Nodes, IReadOnlyList<MapEdge> Edges, int HiddenPods)
{
    public const double RowHeight = 44;
    public const double ColumnWidth = 230;
    public const double NodeWidth = 190;
    public const double NodeHeight = 32;

    public static readonly string[] ColumnTitles = ["Deployments", "ReplicaSets", "Pods", "EndpointSlices", "Services", "Ingresses"];

    public double Width => ColumnTitles.Length * ColumnWidth;

    public double Height => (Nodes.Count == 0 ? 0 : Nodes.Max(n => n.Y)) + RowHeight * 2;

    public MapNode? Find(string id) => Nodes.FirstOrDefault(n => n.Id == id);
}
