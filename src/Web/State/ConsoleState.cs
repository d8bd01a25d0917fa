namespace KubeWeb.Web.State;

/// <summary>The circuit's view settings: selected namespace (null = all namespaces) and theme.</summary>
public sealed class ConsoleState
{
    public const string AllNamespaces = "";

    public event Action? Changed;

    /// <summary>Null or empty means all namespaces.</summary>
    public string? Namespace { get; private set; } = "default";

    public bool DarkMode { get; private set; }

    public bool IsAllNamespaces => string.IsNullOrEmpty(Namespace);

    public void SetNamespace(string? ns)
    {
        if (Namespace != ns)
        {
            Namespace = ns;
            Changed?.Invoke();
        }
    }

    public void SetDarkMode(bool dark)
    {
        if (DarkMode != dark)
        {
            DarkMode = dark;
            Changed?.Invoke();
        }
    }
}
