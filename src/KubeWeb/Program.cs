using System.CommandLine;
using KubeWeb.Host.Cli;

var root = new RootCommand("KubeWeb: a Kubernetes-compatible container orchestrator with a built-in console")
{
    ServerCommand.Create(),
    ControllersCommand.Create(),
    AgentCommand.Create(),
    ImagesCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
