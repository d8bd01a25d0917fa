using System.Runtime.InteropServices;

namespace KubeWeb.Host.Cli;

/// <summary>
/// <c>kubeweb agent ...</c> becomes <c>kubeweb-agent ...</c> when that executable (the NativeAOT
/// build of the same command, src/AgentHost) sits beside <c>kubeweb</c>: the process image is
/// replaced (execv: same PID, arguments, environment, standard streams and signals), so a node
/// runs the agent without the server's runtime and assemblies. Without it, or with
/// <c>KUBEWEB_AGENT_IN_PROCESS=1</c>, the agent runs in this process as before.
/// </summary>
internal static partial class LeanAgent
{
    public const string FileName = "kubeweb-agent";
    public const string InProcessVariable = "KUBEWEB_AGENT_IN_PROCESS";

    /// <summary>Returns only when the agent runs in this process (no lean binary, opted out, or exec failed).</summary>
    public static void ExecIfPresent(string[] args)
    {
        if (args is not ["agent", ..] || Environment.GetEnvironmentVariable(InProcessVariable) is "1" or "true" || !OperatingSystem.IsLinux())
        {
            return;
        }

        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
        {
            return;
        }

        var argv = new string?[args.Length + 1];
        argv[0] = path;
        Array.Copy(args, 1, argv, 1, args.Length - 1);
        argv[^1] = null;
        Console.Out.Flush();
        Console.Error.Flush();
        // execv returns only when it failed: run the agent here instead.
        var failed = Execv(path, argv);
        Console.Error.WriteLine($"warning: could not run {path} (execv returned {failed}, errno {Marshal.GetLastPInvokeError()}); running the agent in this process");
    }

    [DllImport("libc", EntryPoint = "execv", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Execv(string path, string?[] argv);
}
