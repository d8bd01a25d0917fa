using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// Syntax check for the standard five-field cron format CronJobs use (minute hour day-of-month
/// month day-of-week, or a descriptor such as <c>@daily</c> or <c>@every 1h</c>). Only validates;
/// computing run times is the controller's business.
/// </summary>
public static partial class CronSchedule
{
    private static readonly string[] Descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

    private static readonly (int Min, int Max, string[]? Names)[] Fields =
    [
        (0, 59, null),
        (0, 23, null),
        (1, 31, null),
        (1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        (0, 6, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ];

    [GeneratedRegex(@"^([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();

    /// <summary>Null when the schedule parses, else the parser's complaint.</summary>
    public static string? Error(string schedule)
    {
        var spec = schedule.Trim();
        if (spec.Length == 0)
        {
            return "empty spec string";
        }

        if (spec.StartsWith('@'))
        {
            if (spec.StartsWith("@every ", StringComparison.Ordinal))
            {
                var duration = spec["@every ".Length..].Trim();
                return GoDuration().IsMatch(duration) ? null : $"failed to parse duration {spec}: time: invalid duration \"{duration}\"";
            }

            return Descriptors.Contains(spec) ? null : $"unrecognized descriptor: {spec}";
        }

        var fields = spec.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return $"expected exactly 5 fields, found {fields.Length}: [{string.Join(" ", fields)}]";
        }

        for (var i = 0; i < 5; i++)
        {
            foreach (var part in fields[i].Split(','))
            {
                if (RangeError(part, Fields[i], allowQuestion: i is 2 or 4) is { } error)
                {
                    return error;
                }
            }
        }

        return null;
    }

    private static string? RangeError(string expr, (int Min, int Max, string[]? Names) field, bool allowQuestion)
    {
        var slash = expr.Split('/');
        if (slash.Length > 2)
        {
            return $"too many slashes: {expr}";
        }

        var range = slash[0].Split('-');
        if (range.Length > 2)
        {
            return $"too many hyphens: {expr}";
        }

        int start, end;
        if (range[0] is "*" || (allowQuestion && range[0] is "?"))
        {
            if (range.Length > 1)
            {
                return $"too many hyphens: {expr}";
            }

            (start, end) = (field.Min, field.Max);
        }
        else
        {
            if (Number(range[0], field.Names, out start) is { } startError)
            {
                return startError;
            }

            end = start;
            if (range.Length == 2 && Number(range[1], field.Names, out end) is { } endError)
            {
                return endError;
            }
        }

        if (slash.Length == 2)
        {
            if (Number(slash[1], null, out var step) is { } stepError)
            {
                return stepError;
            }

            if (step <= 0)
            {
                return $"step of range should be a positive number: {expr}";
            }
        }

        if (start < field.Min)
        {
            return $"beginning of range ({start}) below minimum ({field.Min}): {expr}";
        }

        if (end > field.Max)
        {
            return $"end of range ({end}) above maximum ({field.Max}): {expr}";
        }

        return start > end ? $"beginning of range ({start}) beyond end of range ({end}): {expr}" : null;
    }

    private static string? Number(string text, string[]? names, out int value)
    {
        var named = names is null ? -1 : Array.IndexOf(names, text.ToLowerInvariant());
        if (named >= 0)
        {
            value = named + (names!.Length == 12 ? 1 : 0);
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return $"failed to parse int from {text}: strconv.Atoi: parsing \"{text}\": invalid syntax";
        }

        return value < 0 ? $"negative number ({value}) not allowed: {text}" : null;
    }
}
