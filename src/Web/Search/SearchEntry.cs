using KubeWeb.Web.Api;

namespace KubeWeb.Web.Search;

/// <summary>One object the palette can jump to.</summary>
public sealed record SearchEntry(ConsoleKind Kind, string? Namespace, string Name)
{
    public string Href => Kind.DetailHref(Namespace, Name);
}

/// <summary>The objects the palette searches; the live implementation watches every listed kind.</summary>
public interface ISearchSource
{
    /// <summary>Raised (on any thread) when <see cref="Entries"/> changed.</summary>
    event Action? Changed;

    IReadOnlyList<SearchEntry> Entries { get; }

    /// <summary>True until every kind has been listed once.</summary>
    bool Loading { get; }

    /// <summary>Starts following (idempotent); the source stops when the circuit ends.</summary>
    void Start();
}
