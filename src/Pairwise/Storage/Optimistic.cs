using Pairwise.Platform;

namespace Pairwise.Storage;

/// <summary>What one try of a read-change-write did: finished with a value, or lost to another writer.</summary>
public readonly record struct Attempt<T>(bool Done, T Value);

public static class Attempt
{
    public static Attempt<T> Done<T>(T value) => new(true, value);

    public static Attempt<T> Conflict<T>() => default;
}

/// <summary>
/// The one optimistic-concurrency loop: read, change, write under a version or existence
/// condition, and try again when another writer came first. After <see cref="MaxAttempts"/>
/// losses it gives up with a <see cref="ConcurrencyConflictException"/>, which every endpoint
/// answers with a 409 problem (never a 500).
/// </summary>
public static class Optimistic
{
    public const int MaxAttempts = 20;

    public static async Task<T> RetryAsync<T>(string what, Func<CancellationToken, Task<Attempt<T>>> attempt, CancellationToken cancellationToken)
    {
        for (var i = 0; i < MaxAttempts; i++)
        {
            if (i > 1)
            {
                // Several writers of one record: a little jitter lets one of them through.
                await Task.Delay(Random.Shared.Next(1, 4 * i), cancellationToken);
            }
            var result = await attempt(cancellationToken);
            if (result.Done)
            {
                return result.Value;
            }
        }
        throw new ConcurrencyConflictException($"{what} kept changing while this request wrote it; try again.");
    }
}
