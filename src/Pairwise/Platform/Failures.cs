namespace Pairwise.Platform;

/// <summary>A cursor that was not produced by the same query (tampered, truncated or from another partition): a 400.</summary>
public sealed class InvalidCursorException(string message) : Exception(message);

/// <summary>
/// A write that kept losing to concurrent writers of the same record after every retry: a 409
/// that tells the client to try again, never a 500.
/// </summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);
