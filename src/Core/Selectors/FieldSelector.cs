namespace KubeWeb.Core.Selectors;

public sealed record FieldRequirement(string Field, bool Equal, string Value);

/// <summary>
/// A field selector (<c>metadata.name=x,status.phase!=Running</c>). Which fields exist is the
/// resource's business: the caller passes a lookup that returns a field's value or null when the
/// resource does not support that field.
/// </summary>
public sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    public FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    /// <summary>The single exact name this selector pins (for fast lookups), if any.</summary>
    public string? ExactValue(string field) =>
        Requirements.FirstOrDefault(r => r.Field == field && r.Equal)?.Value;

    public bool Matches(Func<string, string?> fieldValue) =>
        Requirements.All(r => (fieldValue(r.Field) ?? "") == r.Value == r.Equal);

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var list = new List<FieldRequirement>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            int at;
            if ((at = part.IndexOf("!=", StringComparison.Ordinal)) > 0)
            {
                list.Add(new(part[..at].Trim(), false, Unescape(part[(at + 2)..].Trim())));
            }
            else if ((at = part.IndexOf("==", StringComparison.Ordinal)) > 0)
            {
                list.Add(new(part[..at].Trim(), true, Unescape(part[(at + 2)..].Trim())));
            }
            else if ((at = part.IndexOf('=')) > 0)
            {
                list.Add(new(part[..at].Trim(), true, Unescape(part[(at + 1)..].Trim())));
            }
            else
            {
                throw new FormatException($"invalid selector: '{text}'; can't understand '{part}'");
            }
        }

        return new FieldSelector(list);
    }

    private static string Unescape(string v) => v.Replace(@"\,", ",").Replace(@"\=", "=").Replace(@"\\", @"\");
}
