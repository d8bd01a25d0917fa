namespace KubeWeb.Api.Printing;

/// <summary>Column definitions shared by many kinds, and short constructors for the rest.</summary>
internal static class Col
{
    public const string NameDoc =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client " +
        "to request the generation of a name automatically. Name is primarily intended for creation idempotence and configuration " +
        "definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    public const string CreationTimestampDoc =
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be " +
        "set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form " +
        "and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: " +
        "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    public static TableColumn Name(int priority = 0) => new("Name", "string", "name", NameDoc, priority);

    public static TableColumn Age() => Text("Age", CreationTimestampDoc);

    public static TableColumn Text(string name, string description, int priority = 0) =>
        new(name, "string", "", description, priority);

    public static TableColumn Integer(string name, string description, int priority = 0) =>
        new(name, "integer", "", description, priority);

    public static TableColumn Boolean(string name, string description) => new(name, "boolean", "", description, 0);

    public static TableColumn Wide(string name, string description) => Text(name, description, 1);

    public static TableColumn Containers() => Wide("Containers", "Names of each container in the template.");

    public static TableColumn Images() => Wide("Images", "Images referenced by each container in the template.");

    public static TableColumn Selector(string description) => Wide("Selector", description);
}
