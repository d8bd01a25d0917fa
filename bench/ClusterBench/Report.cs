using System.Text;

namespace KubeWeb.Bench.Cluster;

/// <summary>Markdown tables, one per scenario: metric, value, target (and whether it was met).</summary>
internal sealed class Report
{
    private readonly StringBuilder _sb = new();

    public void Table(string title, string note)
    {
        _sb.AppendLine().AppendLine($"### {title}").AppendLine();
        if (note.Length > 0)
        {
            _sb.AppendLine(note).AppendLine();
        }

        _sb.AppendLine("| metric | value | target |").AppendLine("|---|---|---|");
    }

    public void Row(string metric, string value, string target = "") => _sb.AppendLine($"| {metric} | {value} | {target} |");

    /// <summary>A row checked against a target; lower or higher is better as <paramref name="atMost"/> says.</summary>
    public void Row(string metric, double value, string unit, double target, bool atMost, string format = "F0")
    {
        var met = atMost ? value <= target : value >= target;
        Row(metric, $"{value.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} {unit}", $"{(atMost ? "≤" : "≥")} {target} {unit}: {(met ? "met" : "**missed**")}");
    }

    public override string ToString() => $"_ClusterBench: {Environment.ProcessorCount} cores, .NET {Environment.Version}, SQLite, simulated nodes in a separate agent process_{Environment.NewLine}{_sb}";
}

internal static class Percentiles
{
    public static double Of(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
    }
}
