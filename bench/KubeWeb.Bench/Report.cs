using System.Text;

namespace KubeWeb.Bench;

/// <summary>Collects the measurements and renders them as one markdown table.</summary>
internal sealed class Report(BenchSettings settings)
{
    private readonly List<(string Metric, string Value)> _rows = [];

    public void Raw(double single, double batched)
    {
        var engine = settings.Postgres ? "PostgreSQL (as the test server runs it: fsync=off, synchronous_commit=off)" : "SQLite WAL, synchronous=FULL";
        _rows.Add(($"raw insert, {engine}, 1 row per transaction", $"{single:F0} rows/s"));
        _rows.Add(($"raw insert, {engine}, {settings.RawBatch} rows per transaction", $"{batched:F0} rows/s"));
    }

    public void Creates(string clients, LoadResult r, double raw, string rawKind) =>
        _rows.Add(($"API create ConfigMap, {clients} ({r.Count} objects)",
            $"{r.PerSecond:F0}/s; p50 {r.P50:F2} ms, p99 {r.P99:F2} ms; API/raw {rawKind} = {r.PerSecond / raw:F2}"));

    public void Latency(string what, LoadResult r) =>
        _rows.Add((what, $"p50 {r.P50:F2} ms, p99 {r.P99:F2} ms ({r.Count} requests)"));

    public void Rss(string when, double mib) => _rows.Add(($"process RSS {when}", $"{mib:F0} MiB"));

    public string Render()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"### KubeWeb bench: {(settings.Postgres ? "postgres" : "sqlite")}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        sb.AppendLine();
        sb.AppendLine("| metric | value |");
        sb.AppendLine("|---|---|");
        foreach (var (metric, value) in _rows)
        {
            sb.AppendLine($"| {metric} | {value} |");
        }

        return sb.ToString();
    }
}
