using System.CommandLine;
using KubeWeb.Agent.Hosting;

// kubeweb-agent [options]: the same command, options and behaviour as `kubeweb agent`.
var root = AgentCommand.Configure(new RootCommand(AgentCommand.Description));

// As in `kubeweb`: a signal asks for a clean stop (the agent stops its pods first).
return await CleanStop.InvokeAsync(root, args);
