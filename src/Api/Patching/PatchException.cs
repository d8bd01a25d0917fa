namespace KubeWeb.Api.Patching;

/// <summary>What kind of failure a patch ran into, so the API edge can pick the status code.</summary>
public enum PatchErrorKind
{
    /// <summary>The patch document itself is malformed (Kubernetes answers 400 BadRequest).</summary>
    Malformed,

    /// <summary>The patch is well formed but does not apply to this object (Kubernetes answers 422).</summary>
    Invalid,

    /// <summary>A JSON patch <c>test</c> operation failed: the object is not in the expected state.
    /// Kubernetes reports this as 422 too; callers that want optimistic-concurrency semantics may use 409.</summary>
    Conflict,
}

/// <summary>
/// A patch could not be applied. <see cref="Exception.Message"/> carries the text Kubernetes
/// (evanphx/json-patch, apimachinery strategicpatch) uses for the same failure.
/// </summary>
public sealed class PatchException : Exception
{
    public PatchException(string message, PatchErrorKind kind = PatchErrorKind.Invalid)
        : base(message)
    {
        Kind = kind;
    }

    public PatchException(string message, PatchErrorKind kind, Exception inner)
        : base(message, inner)
    {
        Kind = kind;
    }

    public PatchErrorKind Kind { get; }

    /// <summary>True when a <c>test</c> operation failed (the document did not hold the tested value).</summary>
    public bool IsConflict => Kind == PatchErrorKind.Conflict;
}
