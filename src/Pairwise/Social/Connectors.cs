namespace Pairwise.Social;

/// <summary>What a user asks to link: a Bluesky account (service, identifier, app password) or a feed (its address).</summary>
public sealed record LinkRequest(string Provider, Uri? Service, string? Identifier, string? AppPassword, Uri? Url, bool Public);

/// <summary>
/// What one poll of a linked account found: the account as it should now be stored (tokens,
/// follows, validators), and the provider's current window of posts, or null when nothing
/// changed (a 304). <see cref="Complete"/>: the window is the whole current set, so cached posts
/// missing from it were deleted upstream; a WebSub delivery only adds.
/// </summary>
public sealed record PollResult(LinkedAccountRecord Account, IReadOnlyList<ProviderPostRecord>? Posts, bool Complete = true);

/// <summary>A provider said no (a wrong password, not a feed, a refused address): the user can fix it.</summary>
public sealed class ConnectorRefusedException(string message) : Exception(message);

/// <summary>
/// One network. A connector links accounts (checking what the user gave) and polls them; each runs
/// with its own HTTP client, rate-limit budget and circuit breakers (per host), so a provider that
/// is down or slow makes only its own posts stale.
/// </summary>
public interface ISocialConnector
{
    /// <summary>The provider name in requests and items (<c>bluesky</c>, <c>feed</c>).</summary>
    string Provider { get; }

    /// <summary>The connector's name in <see cref="SocialOptions.Connectors"/> (<c>bluesky</c>, <c>feeds</c>).</summary>
    string Name { get; }

    /// <summary>Checks what the user gave with the provider and returns the account to store (not yet stored).</summary>
    Task<LinkedAccountRecord> LinkAsync(string userId, string linkedId, LinkRequest request, CancellationToken cancellationToken);

    Task<PollResult> PollAsync(LinkedAccountRecord account, CancellationToken cancellationToken);
}
