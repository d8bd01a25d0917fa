namespace KubeWeb.Agent.Runtime;

/// <summary>Image references as container runtimes report them.</summary>
public static class ImageReference
{
    /// <summary>The reference as container runtimes report it: a bare name gets docker.io/library and :latest.</summary>
    public static string Normalize(string? image)
    {
        var name = string.IsNullOrEmpty(image) ? "unknown" : image;
        var lastSlash = name.LastIndexOf('/');
        if (!name.Contains('@', StringComparison.Ordinal) && name.IndexOf(':', lastSlash + 1) < 0)
        {
            name += ":latest";
        }

        var first = name.Split('/')[0];
        if (!name.Contains('/', StringComparison.Ordinal))
        {
            return "docker.io/library/" + name;
        }

        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? name
            : "docker.io/" + name;
    }
}
