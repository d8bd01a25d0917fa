using KubeWeb.Controllers.Runtime;
using KubeWeb.Controllers.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Controllers.Tests.Scheduling;

public sealed class SchedulerRegistrationTests
{
    [Fact]
    public void AddingTheSchedulerTwice_RegistersOneScheduler()
    {
        // Two schedulers with caches of their own placed pods on capacity the other had just taken.
        var services = new ServiceCollection().AddKubeWebScheduler().AddKubeWebScheduler(new SchedulerOptions());
        Assert.Single(services, d => d.ServiceType == typeof(IController));
        Assert.Single(services, d => d.ServiceType == typeof(SchedulerOptions));
    }
}
