namespace KubeWeb.Bench.Cluster;

/// <summary>
/// <c>dotnet run -c Release --project bench/ClusterBench -- [--scenario scheduler|density|all]</c>:
/// the whole control loop (API, controllers, scheduler, agent hub) in this process, simulated
/// nodes in a child process, measured from the outside through the API; prints markdown tables.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["agents", ..])
        {
            return await AgentProcess.RunChildAsync(args);
        }

        ClusterBenchSettings settings;
        try
        {
            settings = ClusterBenchSettings.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var report = new Report();

        // Density first: its RSS figures need a process that has not yet held the scheduler
        // scenario's 10,000 pods (a server-GC heap does not give its high-water mark back).
        if (settings.Scenario is "density" or "all")
        {
            await DensityScenario.RunAsync(settings, report);
        }

        if (settings.Scenario is "scheduler" or "all")
        {
            await SchedulerScenario.RunAsync(settings, report);
        }

        Console.WriteLine(report);
        return 0;
    }
}
