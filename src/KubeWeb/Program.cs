using System.CommandLine;
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
    CleanupCommand.Create(),
};

// SIGTERM, SIGINT and SIGQUIT ask for a clean stop, however long it takes (see CleanStop).
return await CleanStop.InvokeAsync(root, args);
