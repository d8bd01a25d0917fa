namespace KubeWeb.Web.Access;

/// <summary>
/// Whether the signed-in user may do something, asked before an action is shown as available. The
/// API authorizes every request anyway; this only keeps the console from offering what would be
/// refused. Scoped to a circuit, so answers are per user.
/// </summary>
public interface IAccessChecker
{
    Task<AccessAnswer> CheckAsync(AccessRequest request, CancellationToken ct);
}
