using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace KubeWeb.Web.Yaml;

/// <summary>
/// Finds the line of a field the API names in a Status cause (<c>spec.template.spec.containers[0].image</c>)
/// in the YAML the user wrote, so the error can be shown where it is.
/// </summary>
public static partial class YamlFieldLocator
{
    /// <summary>1-based line of the deepest part of <paramref name="fieldPath"/> present in the document, or null.</summary>
    public static int? Find(YamlNode root, string fieldPath)
    {
        YamlNode node = root;
        int? line = null;
        foreach (var segment in Segments(fieldPath))
        {
            switch (node)
            {
                case YamlMappingNode map when map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode k && k.Value == segment) is { Key: not null } hit:
                    line = (int)hit.Key.Start.Line;
                    node = hit.Value;
                    break;
                case YamlSequenceNode seq when int.TryParse(segment, out var i) && i >= 0 && i < seq.Children.Count:
                    node = seq.Children[i];
                    line = (int)node.Start.Line;
                    break;
                default:
                    return line;
            }
        }

        return line;
    }

    /// <summary>Splits <c>a.b[0].c[key.with.dots]</c> into <c>a, b, 0, c, key.with.dots</c>.</summary>
    public static IReadOnlyList<string> Segments(string fieldPath)
    {
        var result = new List<string>();
        foreach (Match m in SegmentPattern().Matches(fieldPath))
        {
            result.Add(m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["index"].Value);
        }

        return result;
    }

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>[^\]]*)\]")]
    private static partial Regex SegmentPattern();
}
