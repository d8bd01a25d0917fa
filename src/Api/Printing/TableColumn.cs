namespace KubeWeb.Api.Printing;

/// <summary>
/// One column of a <c>meta.k8s.io/v1</c> Table. <see cref="Priority"/> 0 is always shown by kubectl;
/// 1 only with <c>-o wide</c>. <see cref="Format"/> is <c>"name"</c> on the column kubectl treats as the object name.
/// </summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority);
