using System.CommandLine;
using System.Runtime.InteropServices;
using KubeWeb.Agent.Hosting;
using KubeWeb.Host.Cli;

// A node's agent runs as the lean kubeweb-agent executable when it is installed beside this one.
LeanAgent.ExecIfPresent(args);

var root = new RootCommand("KubeWeb: a Kubernetes-compatible container orchestrator with a built-in console")
{
    ServerCommand.Create(),
    ControllersCommand.Create(),
    AgentCommand.Create(),
    ImagesCommand.Create(),
};

// SIGTERM, SIGINT and SIGQUIT ask for a clean stop: the commands stop their pods, containerd and
// the host network they set up, however long that takes. A repeated signal (a process manager and
// `dotnet run` both forwarding one) changes nothing. System.CommandLine's own handling is off: it
// ends the process two seconds after the first signal and fails on a second one, leaving mounts,
// bridges and containers behind.
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
