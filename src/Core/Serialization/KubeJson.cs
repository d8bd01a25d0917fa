using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace KubeWeb.Core.Serialization;

/// <summary>
/// JSON settings identical to the official client's (camelCase, nulls omitted, RFC 3339 times,
/// IntOrString and Quantity converters), so what we write is what client libraries read.
/// </summary>
public static class KubeJson
{
    /// <summary>The client's own options, copied so nothing else can mutate them.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions(generatedMetadata: !RuntimeFeature.IsDynamicCodeSupported);

    /// <summary>
    /// For reading only: as <see cref="Options"/>, but <c>metadata.managedFields</c> are skipped, not
    /// decoded (each entry's fieldsV1 would be a JSON document of its own). For objects that are read
    /// and shared without them: informer caches, the store's decoded objects, status copies.
    /// </summary>
    public static JsonSerializerOptions WithoutManagedFields { get; } = CreateOptions(generatedMetadata: !RuntimeFeature.IsDynamicCodeSupported, skipManagedFields: true);

    /// <summary>Compact output for the wire, with HTML-safe escaping off as Go does.</summary>
    public static JsonSerializerOptions Wire => Options;

    public static byte[] SerializeToUtf8(object value, Type type) => JsonSerializer.SerializeToUtf8Bytes(value, type, Options);

    public static byte[] SerializeToUtf8<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, typeof(T), Options);

    public static object? Deserialize(JsonNode node, Type type) => node.Deserialize(type, Options);

    public static object? Deserialize(ReadOnlySpan<byte> utf8, Type type) => JsonSerializer.Deserialize(utf8, type, Options);

    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8) => JsonSerializer.Deserialize<T>(utf8, Options);

    public static JsonNode? ToNode(object value, Type type) => JsonSerializer.SerializeToNode(value, type, Options);

    /// <param name="generatedMetadata">Resolve the agent's objects through <see cref="KubeModelsJsonContext"/> first (NativeAOT).</param>
    /// <param name="skipManagedFields">Leave V1ObjectMeta.managedFields out of the contract (read: skipped as unknown).</param>
    internal static JsonSerializerOptions CreateOptions(bool generatedMetadata, bool skipManagedFields = false)
    {
        var field = typeof(k8s.KubernetesJson).GetField("JsonSerializerOptions", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("KubernetesClient no longer exposes its serializer options; pin the tested version.");
        var clientOptions = (JsonSerializerOptions)field.GetValue(null)!;
        var options = new JsonSerializerOptions(clientOptions)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        // The client's Status converter can only read; the server writes Status bodies as plain objects.
        for (var i = options.Converters.Count - 1; i >= 0; i--)
        {
            if (options.Converters[i].GetType().DeclaringType == typeof(k8s.Models.V1Status))
            {
                options.Converters.RemoveAt(i);
            }
        }

        // Without runtime code generation (NativeAOT) the agent's objects need generated metadata.
        var resolver = generatedMetadata
            ? JsonTypeInfoResolver.Combine(KubeModelsJsonContext.Default, options.TypeInfoResolver)
            : options.TypeInfoResolver!;

        // V1Status.HasObject is a client-side helper, not part of the wire format.
        options.TypeInfoResolver = resolver.WithAddedModifier(info =>
        {
            RemoveProperty(info, typeof(k8s.Models.V1Status), "hasObject");
            if (skipManagedFields)
            {
                RemoveProperty(info, typeof(k8s.Models.V1ObjectMeta), "managedFields");
            }
        });
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static void RemoveProperty(JsonTypeInfo info, Type type, string name)
    {
        if (info.Type != type)
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Name == name)
            {
                info.Properties.RemoveAt(i);
            }
        }
    }
}
