namespace KubeWeb.Web.Components.Controls;

/// <summary>How healthy a printed status looks.</summary>
public enum BadgeTone
{
    Neutral,
    Success,
    Warning,
    Error,
    Info,
}

/// <summary>Maps kubectl's status words (and READY "a/b" cells) to a badge tone.</summary>
public static class StatusBadgeMapping
{
    private static readonly HashSet<string> Good = new(StringComparer.OrdinalIgnoreCase)
    {
        "Running", "Ready", "Completed", "Succeeded", "Complete", "Active", "Bound", "Available", "True", "Healthy", "Established",
    };

    private static readonly HashSet<string> Pending = new(StringComparer.OrdinalIgnoreCase)
    {
        "Pending", "ContainerCreating", "PodInitializing", "Terminating", "Unknown", "Released", "Suspended", "SchedulingDisabled",
        "NotReady", "Progressing", "Waiting", "Scheduled",
    };

    private static readonly HashSet<string> Bad = new(StringComparer.OrdinalIgnoreCase)
    {
        "Failed", "Error", "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "OOMKilled", "Evicted", "Lost", "Unschedulable",
        "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "DeadlineExceeded", "BackoffLimitExceeded", "False",
        "ContainerStatusUnknown", "StartError", "RunContainerError",
    };

    /// <summary>Whether a column shows badges: kubectl's STATUS/PHASE columns and READY counts.</summary>
    public static bool IsBadgeColumn(string column) =>
        column.Equals("Status", StringComparison.OrdinalIgnoreCase) || column.Equals("Phase", StringComparison.OrdinalIgnoreCase) ||
        column.Equals("Ready", StringComparison.OrdinalIgnoreCase);

    public static BadgeTone Map(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return BadgeTone.Neutral;
        }

        var t = text.Trim();
        if (TryRatio(t, out var ready, out var total))
        {
            return total == 0 ? BadgeTone.Neutral : ready == total ? BadgeTone.Success : ready == 0 ? BadgeTone.Error : BadgeTone.Warning;
        }

        // "Ready,SchedulingDisabled" or "Init:0/1": the worst part decides.
        var parts = t.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 1)
        {
            return parts.Select(Map).Max(Severity.Of) is var worst ? Severity.From(worst) : BadgeTone.Neutral;
        }

        if (Bad.Contains(t) || t.StartsWith("Init:Error", StringComparison.OrdinalIgnoreCase) || t.StartsWith("Init:CrashLoop", StringComparison.OrdinalIgnoreCase))
        {
            return BadgeTone.Error;
        }

        if (Good.Contains(t))
        {
            return BadgeTone.Success;
        }

        if (Pending.Contains(t) || t.StartsWith("Init:", StringComparison.OrdinalIgnoreCase))
        {
            return BadgeTone.Warning;
        }

        return BadgeTone.Info;
    }

    private static bool TryRatio(string t, out int ready, out int total)
    {
        ready = total = 0;
        var slash = t.IndexOf('/');
        return slash > 0 && int.TryParse(t[..slash], out ready) && int.TryParse(t[(slash + 1)..], out total);
    }

    private static class Severity
    {
        public static int Of(BadgeTone tone) => tone switch
        {
            BadgeTone.Error => 4,
            BadgeTone.Warning => 3,
            BadgeTone.Info => 2,
            BadgeTone.Success => 1,
            _ => 0,
        };

        public static BadgeTone From(int severity) => severity switch
        {
            4 => BadgeTone.Error,
            3 => BadgeTone.Warning,
            2 => BadgeTone.Info,
            1 => BadgeTone.Success,
            _ => BadgeTone.Neutral,
        };
    }
}
