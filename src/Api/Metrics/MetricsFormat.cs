using System.Globalization;
using System.Text;

namespace KubeWeb.Api.Metrics;

/// <summary>How metrics-server writes usage: quantities in canonical form, Go durations for windows, RFC 3339 times.</summary>
public static class MetricsFormat
{
    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    /// <summary>CPU as a nanocore quantity (<c>250000000n</c> is a quarter core); whole millicores print as <c>250m</c>, whole cores as <c>2</c>.</summary>
    public static string Cpu(long nanoCores) => nanoCores switch
    {
        <= 0 => "0",
        _ when nanoCores % 1_000_000_000 == 0 => (nanoCores / 1_000_000_000).ToString(CultureInfo.InvariantCulture),
        _ when nanoCores % 1_000_000 == 0 => (nanoCores / 1_000_000).ToString(CultureInfo.InvariantCulture) + "m",
        _ when nanoCores % 1_000 == 0 => (nanoCores / 1_000).ToString(CultureInfo.InvariantCulture) + "u",
        _ => nanoCores.ToString(CultureInfo.InvariantCulture) + "n",
    };

    /// <summary>Bytes as a binary-SI quantity with the largest exact suffix (<c>1536Ki</c>, <c>2Mi</c>).</summary>
    public static string Memory(long bytes)
    {
        if (bytes <= 0)
        {
            return "0";
        }

        var suffix = 0;
        while (suffix < BinarySuffixes.Length - 1 && bytes % 1024 == 0)
        {
            bytes /= 1024;
            suffix++;
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + BinarySuffixes[suffix];
    }

    /// <summary>A Go <c>time.Duration</c> string as metav1.Duration serializes it: <c>10s</c>, <c>10.012s</c>, <c>1m30s</c>.</summary>
    public static string Window(double seconds)
    {
        var ms = (long)Math.Round(Math.Max(0, seconds) * 1000);
        if (ms == 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        var hours = ms / 3_600_000;
        var minutes = ms / 60_000 % 60;
        var rest = ms % 60_000;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        var whole = rest / 1000;
        var fraction = rest % 1000;
        text.Append(whole.ToString(CultureInfo.InvariantCulture));
        if (fraction > 0)
        {
            text.Append('.').Append(fraction.ToString("000", CultureInfo.InvariantCulture).TrimEnd('0'));
        }

        return text.Append('s').ToString();
    }

    public static string Time(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
