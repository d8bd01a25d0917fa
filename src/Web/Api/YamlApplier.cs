using System.Text.Json.Nodes;
using KubeWeb.Core.Resources;
using KubeWeb.Web.Yaml;

namespace KubeWeb.Web.Api;

/// <summary>What happened to one document of a YAML apply.</summary>
public sealed record ApplyOutcome(string Kind, string? Namespace, string Name, ConsoleKind? ConsoleKind, ApiProblem? Problem,
    IReadOnlyDictionary<int, string> ErrorLines)
{
    public bool Succeeded => Problem is null;

    public string Display => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Name} in {Namespace}";
}

/// <summary>
/// Applies multi-document YAML with server-side apply, document by document, and maps the API's
/// field errors back to lines of the text the user wrote.
/// </summary>
public static class YamlApplier
{
    public static async Task<IReadOnlyList<ApplyOutcome>> ApplyAsync(ConsoleApi api, string yaml, string defaultNamespace, bool dryRun, bool force,
        CancellationToken ct)
    {
        var docs = YamlDocuments.Parse(yaml);
        if (docs.Count == 0)
        {
            throw new YamlSyntaxException("The YAML holds no object.", 1, 1);
        }

        var outcomes = new List<ApplyOutcome>();
        foreach (var doc in docs)
        {
            outcomes.Add(await ApplyOneAsync(api, doc, defaultNamespace, dryRun, force, ct));
        }

        return outcomes;
    }

    public static async Task<ApplyOutcome> ApplyOneAsync(ConsoleApi api, YamlDocumentNode doc, string defaultNamespace, bool dryRun, bool force,
        CancellationToken ct)
    {
        var kind = doc.Kind ?? "";
        var name = doc.Name ?? "";
        if (doc.ApiVersion is null || doc.Kind is null || name.Length == 0)
        {
            var missing = doc.ApiVersion is null ? "apiVersion" : doc.Kind is null ? "kind" : "metadata.name";
            var line = doc.StartLine;
            return new ApplyOutcome(kind, null, name, null,
                new ApiProblem("Incomplete object", $"The document at line {line} needs {missing}.", [new FieldProblem(missing, "Required value", "FieldValueRequired")]),
                new Dictionary<int, string> { [line] = $"{missing} is required" });
        }

        var type = ResourceRegistry.Default.FindByApiVersionKind(doc.ApiVersion, kind);
        if (type is null)
        {
            return new ApplyOutcome(kind, null, name, null,
                new ApiProblem("Unknown kind", $"This cluster does not serve {kind} in {doc.ApiVersion}.", []),
                new Dictionary<int, string> { [doc.StartLine] = "unknown kind" });
        }

        string? ns = null;
        if (type.Namespaced)
        {
            ns = string.IsNullOrEmpty(doc.Namespace) ? defaultNamespace : doc.Namespace;
            if (doc.Json["metadata"] is JsonObject meta)
            {
                meta["namespace"] = ns;
            }
        }

        try
        {
            await api.ApplyAsync(type, ns, name, doc.Json, dryRun, force, ct);
            return new ApplyOutcome(kind, ns, name, ConsoleKinds.ByKind(doc.ApiVersion, kind), null, new Dictionary<int, string>());
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var problem = ApiErrors.Describe(e);
            return new ApplyOutcome(kind, ns, name, ConsoleKinds.ByKind(doc.ApiVersion, kind), problem, ErrorLines(doc, problem));
        }
    }

    /// <summary>Lines of the document the problem's field causes point at (the document's first line when none match).</summary>
    public static IReadOnlyDictionary<int, string> ErrorLines(YamlDocumentNode doc, ApiProblem problem)
    {
        var lines = new Dictionary<int, string>();
        foreach (var f in problem.Fields)
        {
            var line = f.Field.Length == 0 ? null : YamlFieldLocator.Find(doc.Root, f.Field);
            var at = line ?? doc.StartLine;
            lines[at] = lines.TryGetValue(at, out var existing) ? $"{existing}; {f.Field}: {f.Message}" : $"{f.Field}: {f.Message}";
        }

        if (lines.Count == 0)
        {
            lines[doc.StartLine] = problem.Detail;
        }

        return lines;
    }
}
