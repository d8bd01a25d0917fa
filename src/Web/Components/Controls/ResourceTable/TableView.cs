using System.Globalization;
using KubeWeb.Web.Api;

namespace KubeWeb.Web.Components.Controls;

/// <summary>Which column a table is sorted by: <see cref="NamespaceColumn"/>, or an index into the Table's columns.</summary>
public readonly record struct TableSort(int Column, bool Descending)
{
    public const int NamespaceColumn = -1;

    /// <summary>By namespace then name, as kubectl lists.</summary>
    public static TableSort Default => new(NamespaceColumn, false);
}

/// <summary>The rows a table shows: text-searched and sorted. Pure, so it is tested without a browser.</summary>
public static class TableView
{
    public static IReadOnlyList<KubeRow> Apply(IEnumerable<KubeRow> rows, IReadOnlyList<KubeColumn> columns, string? search, TableSort sort)
    {
        var filtered = string.IsNullOrWhiteSpace(search) ? rows : rows.Where(r => Matches(r, search.Trim()));
        var ordered = sort.Column == TableSort.NamespaceColumn || sort.Column >= columns.Count
            ? Order(filtered, r => (IComparable)(r.Namespace ?? ""), sort.Descending).ThenBy(r => r.Name, StringComparer.Ordinal)
            : Order(filtered, r => SortKey(r, columns, sort.Column), sort.Descending).ThenBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal);
        return [.. ordered];
    }

    public static bool Matches(KubeRow row, string text) =>
        row.Name.Contains(text, StringComparison.OrdinalIgnoreCase) ||
        (row.Namespace ?? "").Contains(text, StringComparison.OrdinalIgnoreCase) ||
        row.Cells.Any(c => c.Contains(text, StringComparison.OrdinalIgnoreCase)) ||
        row.Labels.Any(l => $"{l.Key}={l.Value}".Contains(text, StringComparison.OrdinalIgnoreCase));

    /// <summary>Ages sort by creation time, numbers (and "3 (5m ago)" restarts) numerically, the rest as text.</summary>
    internal static IComparable SortKey(KubeRow row, IReadOnlyList<KubeColumn> columns, int column)
    {
        var col = columns[column];
        var cell = column < row.Cells.Count ? row.Cells[column] : "";
        if (col.Name.Equals("Age", StringComparison.OrdinalIgnoreCase) || col.Type == "date")
        {
            // Older first when ascending by age means the smallest age first: newest creation first.
            return row.Created is { } created ? -created.ToUnixTimeMilliseconds() : long.MinValue;
        }

        if (col.Type is "integer" or "number" || col.Name.Equals("Restarts", StringComparison.OrdinalIgnoreCase))
        {
            var lead = new string([.. cell.TakeWhile(c => char.IsDigit(c) || c is '.' or '-')]);
            return double.TryParse(lead, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.MinValue;
        }

        return cell;
    }

    private static IOrderedEnumerable<KubeRow> Order(IEnumerable<KubeRow> rows, Func<KubeRow, IComparable> key, bool descending) =>
        descending ? rows.OrderByDescending(key, Comparer<IComparable>.Create(Compare)) : rows.OrderBy(key, Comparer<IComparable>.Create(Compare));

    private static int Compare(IComparable? a, IComparable? b) => (a, b) switch
    {
        (string x, string y) => string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        _ when a.GetType() == b.GetType() => a.CompareTo(b),
        _ => string.Compare(a.ToString(), b.ToString(), StringComparison.Ordinal),
    };
}
