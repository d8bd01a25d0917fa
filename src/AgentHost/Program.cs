using System.CommandLine;
using System.Runtime.InteropServices;
using KubeWeb.Agent.Hosting;

// kubeweb-agent [options]: the same command, options and behaviour as `kubeweb agent`.
var root = AgentCommand.Configure(new RootCommand(AgentCommand.Description));

// As in `kubeweb`: SIGTERM, SIGINT and SIGQUIT ask for a clean stop (the agent stops its pods
// first); System.CommandLine's own handling, which ends the process two seconds later, is off.
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
