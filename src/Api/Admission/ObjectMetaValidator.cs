using k8s.Models;
namespace KubeWeb.Api.Admission;
public static class ObjectMetaValidator {
  public static IEnumerable<FieldError> ValidateCreate(V1ObjectMeta meta, bool namespaced, Func<string,string?> nameError) { if (meta.Name is {} n && nameError(n) is {} e) yield return FieldError.Invalid("metadata.name", n, e); }
  public static IEnumerable<FieldError> ValidateUpdate(V1ObjectMeta meta, V1ObjectMeta old) => [];
}
