namespace Pairwise.Platform;

/// <summary>A cursor that was not produced by the same query (tampered, truncated or from another partition): a 400.</summary>
public sealed class InvalidCursorException(string message) : Exception(message);

/// <summary>
/// A write that kept losing to concurrent writers of the same record after every retry: a 409
/// that tells the client to try again, never a 500.
/// </summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);

/// <summary>
/// A request that would break one of the store's limits (a key or an item too large) got past
/// validation: the caller's input is at fault, so it is a 400 logged at warning, never a 500.
/// </summary>
public sealed class StoreRuleException(string message, string paramName) : ArgumentException(message, paramName);

/// <summary>
/// A service the request needs (the image storage, say) did not answer: a 503 with Retry-After that
/// says which, logged at warning. Nothing the request would have written is left half-done.
/// </summary>
public sealed class DependencyUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
