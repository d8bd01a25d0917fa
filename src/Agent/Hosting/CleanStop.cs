using System.CommandLine;
using System.Runtime.InteropServices;

namespace KubeWeb.Agent.Hosting;

/// <summary>
/// Runs a command line so that SIGTERM, SIGINT and SIGQUIT ask for a clean stop: the commands stop
/// their pods, containerd and the host network they set up, however long that takes, and a repeated
/// signal (a process manager and <c>dotnet run</c> both forwarding one) changes nothing.
/// System.CommandLine's own handling is off: it ends the process two seconds after the first signal
/// and fails on a second one, leaving mounts, bridges and containers behind. Shared by
/// <c>kubeweb</c> and <c>kubeweb-agent</c>.
/// </summary>
public static class CleanStop
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        using var stopping = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stopping.Token);
    }
}
