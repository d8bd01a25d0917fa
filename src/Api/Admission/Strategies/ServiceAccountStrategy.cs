using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>core/v1 ServiceAccounts: referenced secrets need names.</summary>
public sealed class ServiceAccountStrategy : KubeStrategy<V1ServiceAccount>
{
    public ServiceAccountStrategy()
        : base("serviceaccounts")
    {
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1ServiceAccount obj)
    {
        var i = 0;
        foreach (var secret in obj.ImagePullSecrets ?? [])
        {
            if (string.IsNullOrEmpty(secret.Name))
            {
                yield return FieldError.Required(Checks.Index("imagePullSecrets", i) + ".name");
            }

            i++;
        }
    }
}
