using k8s.Models;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Api.Printing;

/// <summary>
/// Finds the Table printer of a served kind. Kinds kube-apiserver prints with its generic table
/// (Role, ClusterRole, LimitRange, and anything unknown) get <see cref="Default"/>.
/// Stateless and thread-safe; one instance serves the whole process.
/// </summary>
public sealed class TablePrinters
{
    private readonly Dictionary<Type, ITablePrinter> _byType;

    public TablePrinters()
    {
        ITablePrinter[] printers =
        [
            new PodPrinter(), new ServicePrinter(), new EndpointsPrinter(), new ConfigMapPrinter(), new SecretPrinter(),
            new ServiceAccountPrinter(), new NamespacePrinter(), new NodePrinter(), new ResourceQuotaPrinter(),
            new PersistentVolumePrinter(), new PersistentVolumeClaimPrinter(), new StorageClassPrinter(),
            new CoreEventPrinter(), new EventsV1EventPrinter(),
            new DeploymentPrinter(), new ReplicaSetPrinter(), new StatefulSetPrinter(), new DaemonSetPrinter(),
            new ControllerRevisionPrinter(), new JobPrinter(), new CronJobPrinter(),
            new HorizontalPodAutoscalerV2Printer(), new HorizontalPodAutoscalerV1Printer(),
            new LeasePrinter(), new IngressPrinter(), new IngressClassPrinter(), new EndpointSlicePrinter(),
            new RoleBindingPrinter(), new ClusterRoleBindingPrinter(), new PodDisruptionBudgetPrinter(), new PriorityClassPrinter(),
        ];
        _byType = printers.ToDictionary(PrintedType);
    }

    /// <summary>Name and "Created At": what kube-apiserver prints for kinds without their own columns.</summary>
    public static ITablePrinter Default { get; } = new DefaultTablePrinter();

    public ITablePrinter For(ResourceType type) => _byType.GetValueOrDefault(type.ClrType, Default);

    private static Type PrintedType(ITablePrinter printer)
    {
        for (var t = printer.GetType(); t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(TablePrinter<>))
            {
                return t.GetGenericArguments()[0];
            }
        }

        throw new InvalidOperationException($"{printer.GetType().Name} does not derive from TablePrinter<T>.");
    }
}

public static class TablePrintingServiceCollectionExtensions
{
    /// <summary>Registers <see cref="TablePrinters"/> as a singleton.</summary>
    public static IServiceCollection AddTablePrinting(this IServiceCollection services) =>
        services.AddSingleton<TablePrinters>();
}
