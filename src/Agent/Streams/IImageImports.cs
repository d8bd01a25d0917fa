using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Streams;

/// <summary>
/// A runtime that can take image archives uploaded through the API (<c>kubeweb images import --node</c>).
/// The returned process takes the archive on <see cref="IContainerProcess.Stdin"/>; closing stdin starts
/// the import, whose output comes on stdout and whose result is the exit code.
/// </summary>
public interface IImageImports
{
    Task<IContainerProcess> ImportImageAsync(ImageImportRequest request, CancellationToken ct);
}
