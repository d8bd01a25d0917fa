namespace KubeWeb.Core.Agents;

/// <summary>
/// An image archive upload (<see cref="PodStreamKind.ImageImport"/>): <paramref name="FileName"/> for
/// messages only; <paramref name="BaseName"/> names the repository for archives whose index holds only
/// a tag (as <c>ctr images import --base-name</c>).
/// </summary>
public sealed record ImageImportRequest(string FileName, string? BaseName);
