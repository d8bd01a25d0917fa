namespace KubeWeb.Api.Printing;

/// <summary>The age strings kubectl shows, computed exactly as apimachinery's <c>duration.HumanDuration</c>.</summary>
public static class Duration
{
    private const long SecondsPerMinute = 60;
    private const long HoursPerDay = 24;
    private const long DaysPerYear = 365;

    /// <summary>
    /// About two significant figures: "5s", "3m20s", "45m", "5h3m", "20h", "3d5h", "90d", "2y30d", "9y".
    /// Up to a second in the future reads "0s" (clock skew); further than that, "&lt;invalid&gt;".
    /// </summary>
    public static string HumanDuration(TimeSpan d)
    {
        // Truncation toward zero, as Go's int(d.Seconds()) and integer division of durations.
        var seconds = d.Ticks / TimeSpan.TicksPerSecond;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 2 * SecondsPerMinute)
        {
            return $"{seconds}s";
        }

        var minutes = d.Ticks / TimeSpan.TicksPerMinute;
        if (minutes < 10)
        {
            return WithRemainder(minutes, "m", seconds % 60, "s");
        }

        if (minutes < 3 * 60)
        {
            return $"{minutes}m";
        }

        var hours = d.Ticks / TimeSpan.TicksPerHour;
        if (hours < 8)
        {
            return WithRemainder(hours, "h", minutes % 60, "m");
        }

        if (hours < 2 * HoursPerDay)
        {
            return $"{hours}h";
        }

        var days = hours / HoursPerDay;
        if (hours < 8 * HoursPerDay)
        {
            return WithRemainder(days, "d", hours % HoursPerDay, "h");
        }

        if (days < 2 * DaysPerYear)
        {
            return $"{days}d";
        }

        var years = days / DaysPerYear;
        return days < 8 * DaysPerYear ? WithRemainder(years, "y", days % DaysPerYear, "d") : $"{years}y";
    }

    private static string WithRemainder(long major, string majorUnit, long minor, string minorUnit) =>
        minor == 0 ? $"{major}{majorUnit}" : $"{major}{majorUnit}{minor}{minorUnit}";
}
