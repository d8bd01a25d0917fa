namespace KubeWeb.Api.Protobuf.Schema;

/// <summary>
/// Every message table and the top-level kinds that may arrive in an envelope. Built once, then
/// only read; <see cref="Default"/> fails fast at first use if a table names a missing message.
/// </summary>
internal sealed class SchemaSet
{
    private readonly Dictionary<string, MessageSpec> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ApiVersion, string Kind), MessageSpec> _roots = new();

    public static SchemaSet Default { get; } = Build();

    public IEnumerable<(string ApiVersion, string Kind)> Kinds => _roots.Keys;

    public void Message(string name, params FieldSpec[] fields)
    {
        if (!_messages.TryAdd(name, new MessageSpec(name, fields)))
        {
            throw new InvalidOperationException($"Message {name} is declared twice.");
        }
    }

    /// <summary>Declares that <paramref name="apiVersion"/>/<paramref name="kind"/> is decoded with <paramref name="message"/>.</summary>
    public void Kind(string apiVersion, string kind, string message) =>
        _roots.Add((apiVersion, kind), Get(message));

    public MessageSpec Get(string name) =>
        _messages.TryGetValue(name, out var spec)
            ? spec
            : throw new InvalidOperationException($"Protobuf schema references unknown message {name}.");

    public bool TryGetRoot(string apiVersion, string kind, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MessageSpec? spec) =>
        _roots.TryGetValue((apiVersion, kind), out spec);

    private static SchemaSet Build()
    {
        var set = new SchemaSet();
        MetaSchemas.Register(set);
        PodSchemas.Register(set);
        VolumeSchemas.Register(set);
        CoreSchemas.Register(set);
        WorkloadSchemas.Register(set);
        AccessSchemas.Register(set);
        set.CheckReferences();
        return set;
    }

    private void CheckReferences()
    {
        foreach (var field in _messages.Values.SelectMany(m => m.Fields))
        {
            if (field.MessageName is { } name)
            {
                Get(name);
            }
        }
    }
}
