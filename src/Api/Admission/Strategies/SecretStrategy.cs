using System.Text;
using System.Text.Json;
using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// core/v1 Secrets: <c>stringData</c> is folded into <c>data</c> (it wins on conflicts) and never
/// stored; the type defaults to Opaque, is immutable, and decides which keys must be present.
/// </summary>
public sealed class SecretStrategy : KubeStrategy<V1Secret>
{
    public const string ServiceAccountNameAnnotation = "kubernetes.io/service-account.name";

    public SecretStrategy()
        : base("secrets")
    {
    }

    protected override void Default(V1Secret obj)
    {
        obj.Type ??= "Opaque";
        if (obj.StringData is { Count: > 0 } strings)
        {
            obj.Data ??= new Dictionary<string, byte[]>();
            foreach (var (key, value) in strings)
            {
                obj.Data[key] = Encoding.UTF8.GetBytes(value ?? "");
            }
        }

        obj.StringData = null;
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1Secret obj)
    {
        var errors = DataRules.ValidateKeys(obj.Data?.Keys, "data").ToList();
        var data = obj.Data ?? new Dictionary<string, byte[]>();
        var size = data.Sum(kv => (long)(kv.Value?.Length ?? 0));
        if (size > DataRules.MaxSize)
        {
            errors.Add(FieldError.TooLong("data", DataRules.MaxSize));
        }

        switch (obj.Type)
        {
            case "kubernetes.io/service-account-token":
                if (obj.Metadata.Annotations?.TryGetValue(ServiceAccountNameAnnotation, out var sa) != true || string.IsNullOrEmpty(sa))
                {
                    errors.Add(FieldError.Required(Checks.Key("metadata.annotations", ServiceAccountNameAnnotation)));
                }

                break;
            case "kubernetes.io/dockercfg":
                RequireJson(data, ".dockercfg", errors);
                break;
            case "kubernetes.io/dockerconfigjson":
                RequireJson(data, ".dockerconfigjson", errors);
                break;
            case "kubernetes.io/basic-auth":
                if (!data.ContainsKey("username") && !data.ContainsKey("password"))
                {
                    errors.Add(FieldError.Required("data[username]"));
                    errors.Add(FieldError.Required("data[password]"));
                }

                break;
            case "kubernetes.io/ssh-auth":
                if (!data.TryGetValue("ssh-privatekey", out var key) || key is not { Length: > 0 })
                {
                    errors.Add(FieldError.Required("data[ssh-privatekey]"));
                }

                break;
            case "kubernetes.io/tls":
                foreach (var required in new[] { "tls.crt", "tls.key" }.Where(k => !data.ContainsKey(k)))
                {
                    errors.Add(FieldError.Required(Checks.Key("data", required)));
                }

                break;
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1Secret obj, V1Secret old) =>
        ValidateCreate(obj)
            .Concat(Checks.ImmutableField(obj.Type, old.Type, "type"))
            .Concat(DataRules.ValidateImmutable(obj.Immutable, old.Immutable, ("data", obj.Data, old.Data)));

    protected override string? GetField(V1Secret obj, string field) => field == "type" ? obj.Type ?? "" : null;

    private static void RequireJson(IDictionary<string, byte[]> data, string key, List<FieldError> errors)
    {
        var path = Checks.Key("data", key);
        if (!data.TryGetValue(key, out var bytes) || bytes is not { Length: > 0 })
        {
            errors.Add(FieldError.Required(path));
            return;
        }

        try
        {
            using var _ = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            errors.Add(FieldError.Invalid(path, "<secret contents redacted>", e.Message));
        }
    }
}
