namespace KubeWeb.Api.Storage;

/// <summary>Base of the store's outcome errors; the API edge turns each into a Kubernetes Status.</summary>
public abstract class StoreException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class StoreNotFoundException(string resource, string ns, string name)
    : StoreException($"{resource} {ns}/{name} not found");

public sealed class StoreAlreadyExistsException(string resource, string ns, string name)
    : StoreException($"{resource} {ns}/{name} already exists");

/// <summary>The object changed since the resourceVersion the write was based on.</summary>
public sealed class StoreConflictException(string resource, string ns, string name)
    : StoreException($"{resource} {ns}/{name} was modified");

/// <summary>The database could not be reached or refused the transaction; nothing was written.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : StoreException(message, inner);
