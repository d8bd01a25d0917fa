using System.Text.Json.Nodes;
namespace KubeWeb.Api.Patching;
public sealed class PatchException(string m) : Exception(m) { public bool IsConflict => false; }
public static class JsonMergePatch { public static JsonNode? Apply(JsonNode? t, JsonNode p) => throw new PatchException("shim"); }
public static class JsonPatch { public static JsonNode Apply(JsonNode t, JsonNode p) => throw new PatchException("shim"); }
public static class StrategicMergePatch { public static JsonNode Apply(JsonNode t, JsonNode p, Type c) => throw new PatchException("shim"); }
