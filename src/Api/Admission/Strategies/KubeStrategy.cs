using k8s;
using k8s.Models;
using KubeWeb.Core.Validation;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// The base of every built-in strategy: adds the kind's name rule, which the handler passes to
/// <see cref="ObjectMetaValidator.ValidateCreate"/>. Most kinds use DNS-1123 subdomain names.
/// </summary>
public abstract class KubeStrategy<T> : ResourceStrategy<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    protected KubeStrategy(string storageResource)
        : base(storageResource)
    {
    }

    /// <summary>Null when <paramref name="name"/> is a valid name for this kind, else why not.</summary>
    public override string? ValidateName(string name) => NameRules.Subdomain(name);
}

/// <summary>The name rules kube-apiserver applies per kind.</summary>
public static class NameRules
{
    public static string? Subdomain(string name) => NameValidation.IsDns1123Subdomain(name, out var e) ? null : e;

    public static string? Label(string name) => NameValidation.IsDns1123Label(name, out var e) ? null : e;

    public static string? Dns1035(string name) => NameValidation.IsDns1035Label(name, out var e) ? null : e;

    /// <summary>RBAC names are only required to be usable as one URL path segment.</summary>
    public static string? PathSegment(string name) => name switch
    {
        "." => "may not be '.'",
        ".." => "may not be '..'",
        _ when name.Contains('/') => "may not contain '/'",
        _ when name.Contains('%') => "may not contain '%'",
        _ => null,
    };
}
