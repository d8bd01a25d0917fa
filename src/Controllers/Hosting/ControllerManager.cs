using KubeWeb.Controllers.LeaderElection;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Informers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Hosting;

/// <summary>
/// kube-controller-manager: under leader election, starts the shared informers and every
/// registered controller (the scheduler is one of them); leadership lost stops them all.
/// </summary>
public sealed partial class ControllerManager(
    IEnumerable<IController> controllers, InformerFactory informers, LeaderElector elector, ILogger<ControllerManager> log)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        elector.RunAsync(async leading =>
        {
            var list = controllers.ToList();
            LogStarting(list.Count, string.Join(", ", list.Select(c => c.Name)));
            var runs = list.Select(c => Task.Run(() => RunOneAsync(c, leading), CancellationToken.None)).ToList();
            informers.Start(leading);
            await Task.WhenAll(runs);

            // Keep holding the lease while leading, even if every controller has returned.
            await Task.Delay(Timeout.InfiniteTimeSpan, leading).ContinueWith(_ => { }, TaskScheduler.Default);
        }, stoppingToken);

    private async Task RunOneAsync(IController controller, CancellationToken ct)
    {
        try
        {
            await controller.RunAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogControllerFailed(e, controller.Name);
        }
    }

    [LoggerMessage(LogLevel.Information, "Starting {Count} controllers: {Names}")]
    private partial void LogStarting(int count, string names);

    [LoggerMessage(LogLevel.Error, "Controller {Name} stopped with an error")]
    private partial void LogControllerFailed(Exception e, string name);
}
