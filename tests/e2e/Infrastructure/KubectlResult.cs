using System.Text;

namespace KubeWeb.E2E.Infrastructure;

/// <summary>What one kubectl run produced.</summary>
public sealed record KubectlResult(IReadOnlyList<string> Args, int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    /// <summary>stdout then stderr, for assertions that do not care where kubectl wrote a message.</summary>
    public string Output => Stdout + Stderr;

    /// <summary>Asserts exit code 0 and returns this result for further checks.</summary>
    public KubectlResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"expected kubectl to succeed\n{this}");
        return this;
    }

    /// <summary>Asserts exit code 1 and that the output mentions every one of <paramref name="texts"/>.</summary>
    public KubectlResult Failed(params string[] texts)
    {
        Assert.True(ExitCode == 1, $"expected kubectl to fail with exit code 1\n{this}");
        foreach (var t in texts)
        {
            Assert.True(Output.Contains(t, StringComparison.Ordinal), $"expected the output to contain \"{t}\"\n{this}");
        }

        return this;
    }

    /// <summary>Asserts the output contains every one of <paramref name="texts"/>.</summary>
    public KubectlResult Shows(params string[] texts)
    {
        foreach (var t in texts)
        {
            Assert.True(Output.Contains(t, StringComparison.Ordinal), $"expected the output to contain \"{t}\"\n{this}");
        }

        return this;
    }

    /// <summary>The non-blank lines of stdout, trailing whitespace removed (leading indentation kept).</summary>
    public IReadOnlyList<string> Lines => Stdout.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("$ kubectl ").AppendJoin(' ', Args.Select(Quote)).Append('\n');
        sb.Append(TimedOut ? "(timed out)" : $"exit code {ExitCode}").Append('\n');
        if (Stdout.Length > 0)
        {
            sb.Append("--- stdout\n").Append(Stdout.TrimEnd()).Append('\n');
        }

        if (Stderr.Length > 0)
        {
            sb.Append("--- stderr\n").Append(Stderr.TrimEnd()).Append('\n');
        }

        return sb.ToString();
    }

    private static string Quote(string a) => a.Length == 0 || a.Any(char.IsWhiteSpace) || a.Contains('"') ? $"'{a}'" : a;
}
