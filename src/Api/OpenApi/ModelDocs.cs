using System.Text;
using System.Xml;
using k8s.Models;

namespace KubeWeb.Api.OpenApi;

/// <summary>
/// The descriptions of the k8s.Models types and properties, read from the XML documentation that
/// ships with the KubernetesClient package (it carries the upstream API descriptions, wrapped at 80
/// columns). Missing documentation leaves descriptions out; the schemas stay complete.
/// </summary>
internal sealed class ModelDocs
{
    private const string Prefix = "k8s.Models.";

    private readonly Dictionary<string, string> _summaries;

    private ModelDocs(Dictionary<string, string> summaries) => _summaries = summaries;

    public static ModelDocs Empty { get; } = new([]);

    /// <summary>Reads <c>KubernetesClient.xml</c> beside the KubernetesClient assembly, if it is there.</summary>
    public static ModelDocs Load()
    {
        var dir = Path.GetDirectoryName(typeof(V1Pod).Assembly.Location);
        var path = string.IsNullOrEmpty(dir) ? null : Path.Combine(dir, "KubernetesClient.xml");
        if (path is null || !File.Exists(path))
        {
            path = Path.Combine(AppContext.BaseDirectory, "KubernetesClient.xml");
        }

        if (!File.Exists(path))
        {
            return Empty;
        }

        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    /// <summary>Reads the members of k8s.Models from an XML documentation file.</summary>
    public static ModelDocs Read(Stream xml)
    {
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = XmlReader.Create(xml, new XmlReaderSettings { IgnoreComments = true, DtdProcessing = DtdProcessing.Ignore });
        while (reader.ReadToFollowing("member"))
        {
            var name = reader.GetAttribute("name");
            if (name is null || name.Length < 3 || name[1] != ':' || (name[0] != 'T' && name[0] != 'P')
                || string.CompareOrdinal(name, 2, Prefix, 0, Prefix.Length) != 0)
            {
                continue;
            }

            using var member = reader.ReadSubtree();
            if (member.ReadToFollowing("summary"))
            {
                var text = Normalize(member.ReadElementContentAsString());
                if (text.Length > 0)
                {
                    summaries[name] = text;
                }
            }
        }

        return new ModelDocs(summaries);
    }

    public string? Type(Type type) => _summaries.GetValueOrDefault($"T:{type.FullName}");

    public string? Property(Type declaringType, string clrName) =>
        _summaries.GetValueOrDefault($"P:{declaringType.FullName}.{clrName}");

    /// <summary>Joins the wrapped lines of a summary; blank lines stay paragraph breaks.</summary>
    internal static string Normalize(string text)
    {
        var paragraphs = new List<string>();
        var current = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                if (current.Length > 0)
                {
                    paragraphs.Add(current.ToString());
                    current.Clear();
                }

                continue;
            }

            if (current.Length > 0)
            {
                current.Append(' ');
            }

            current.Append(line);
        }

        if (current.Length > 0)
        {
            paragraphs.Add(current.ToString());
        }

        return string.Join("\n\n", paragraphs);
    }
}
