using System.Text;

namespace KubeWeb.Agent.Runtime.Simulated;

/// <summary>
/// The few commands a simulated container can exec: <c>echo</c>, <c>cat</c> (stdin to stdout),
/// <c>true</c>, <c>false</c>, <c>exit N</c>, <c>sleep N</c>, <c>hostname</c>, <c>env</c>,
/// <c>test -d|-e|-f PATH</c> (a fixed directory tree), and <c>sh -c SCRIPT</c> running those joined
/// by <c>;</c>, <c>&amp;&amp;</c> and <c>||</c>, with <c>&gt;&amp;2</c> to write to stderr.
/// </summary>
internal sealed class SimulatedShell(string hostname, Stream? stdin, Stream stdout, Stream stderr, TimeProvider time)
{
    private static readonly HashSet<string> Directories = ["/", "/bin", "/dev", "/etc", "/home", "/proc", "/root", "/tmp", "/usr", "/var", "/var/log"];

    public async Task<int> RunAsync(IReadOnlyList<string> argv, CancellationToken ct)
    {
        try
        {
            return await RunCommandAsync(argv, stdout, ct);
        }
        catch (ExitException e)
        {
            return e.Code;
        }
    }

    private async Task<int> RunCommandAsync(IReadOnlyList<string> argv, Stream output, CancellationToken ct)
    {
        if (argv.Count == 0)
        {
            return 0;
        }

        var args = argv.Skip(1).ToList();
        switch (Path.GetFileName(argv[0]))
        {
            case "sh" or "bash" when args is ["-c", var script, ..]:
                return await RunScriptAsync(script, ct);
            case "echo":
                var newline = args is not ["-n", ..];
                await WriteAsync(output, string.Join(' ', newline ? args : args.Skip(1)) + (newline ? "\n" : ""), ct);
                return 0;
            case "cat" when args.Count == 0 || args is ["-"]:
                if (stdin is not null)
                {
                    await stdin.CopyToAsync(output, ct);
                }

                return 0;
            case "cat":
                await WriteAsync(stderr, $"cat: can't open '{args[0]}': No such file or directory\n", ct);
                return 1;
            case "true":
                return 0;
            case "false":
                return 1;
            case "exit":
                throw new ExitException(args.Count > 0 && int.TryParse(args[0], out var code) ? code & 0xff : 0);
            case "sleep":
                await Task.Delay(TimeSpan.FromSeconds(args.Count > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 0), time, ct);
                return 0;
            case "hostname":
                await WriteAsync(output, hostname + "\n", ct);
                return 0;
            case "env" or "printenv":
                await WriteAsync(output, $"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME={hostname}\n", ct);
                return 0;
            case "test" or "[":
                var operands = args.Where(a => a != "]").ToList();
                return operands is [var op, var path] && (op is "-d" or "-e") && Directories.Contains(path.TrimEnd('/') is { Length: > 0 } p ? p : "/") ? 0 : 1;
            default:
                await WriteAsync(stderr, $"exec: \"{argv[0]}\": executable file not found in $PATH\n", ct);
                return 127;
        }
    }

    private async Task<int> RunScriptAsync(string script, CancellationToken ct)
    {
        var status = 0;
        var op = ";";
        foreach (var (words, next) in Parse(script))
        {
            var run = op switch
            {
                "&&" => status == 0,
                "||" => status != 0,
                _ => true,
            };
            if (run && words.Count > 0)
            {
                var toStderr = words.Count > 1 && words[^1] is ">&2" or "1>&2";
                var argv = toStderr ? words[..^1] : words;
                status = await RunCommandAsync(argv, toStderr ? stderr : stdout, ct);
            }

            op = next;
        }

        return status;
    }

    /// <summary>Splits a script into commands (words, with quotes) and the operator after each.</summary>
    private static List<(List<string> Words, string Next)> Parse(string script)
    {
        var commands = new List<(List<string>, string)>();
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            string? op = c == ';' || c == '\n' ? ";" : script.AsSpan(i).StartsWith("&&") ? "&&" : script.AsSpan(i).StartsWith("||") ? "||" : null;
            if (op is not null || char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                if (op is not null)
                {
                    commands.Add((words, op));
                    words = [];
                    i += op.Length - 1;
                }

                continue;
            }

            inWord = true;
            if (c is '\'' or '"')
            {
                quote = c;
            }
            else
            {
                word.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        commands.Add((words, ";"));
        return commands;
    }

    private static async Task WriteAsync(Stream output, string text, CancellationToken ct)
    {
        await output.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await output.FlushAsync(ct);
    }

    private sealed class ExitException(int code) : Exception
    {
        public int Code { get; } = code;
    }
}
