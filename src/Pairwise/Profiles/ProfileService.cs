using System.Text.Json;
using Pairwise.Accounts;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Profiles;

public enum ProfileStatus
{
    Created,
    Replaced,
    NoSuchSide,
    Invalid,
    NoAccount,
}

public sealed record ProfileOutcome(ProfileStatus Status, ProfileRecord? Profile = null, IDictionary<string, string[]>? Errors = null);

/// <summary>The rules of profiles: one per side of a market, checked against the market's schema, with its card kept in step.</summary>
public sealed class ProfileService(ProfileStore profiles, MarketCatalog markets, UserStore users, IProfileCards cards, TimeProvider time)
{
    public async Task<ProfileOutcome> PutAsync(
        string userId, string market, string side, string? displayName, JsonElement? attributesJson, JsonElement? preferencesJson, CancellationToken cancellationToken)
    {
        var definition = markets.Find(market);
        if (definition?.FindSide(side) is not { } sideDefinition)
        {
            return new ProfileOutcome(ProfileStatus.NoSuchSide);
        }
        var errors = new Dictionary<string, string[]>();
        var attributes = SchemaValidator.Validate(definition, sideDefinition.Attributes, attributesJson, "attributes", errors);
        var preferences = SchemaValidator.Validate(definition, sideDefinition.Preferences, preferencesJson, "preferences", errors);
        if (errors.Count > 0)
        {
            return new ProfileOutcome(ProfileStatus.Invalid, Errors: errors);
        }
        var now = time.GetUtcNow();
        var completeness = ProfileRules.Completeness(sideDefinition, attributes, preferences);
        var name = displayName?.Trim() is { Length: > 0 } given ? given : null;
        // A create can lose a race with a concurrent create of the same side: then it updates.
        return await Optimistic.RetryAsync("The profile", async ct =>
        {
            if (await profiles.FindOwnAsync(userId, market, side, ct) is { } existing)
            {
                var replaced = existing.Record with
                {
                    DisplayName = name ?? existing.Record.DisplayName,
                    Attributes = attributes,
                    Preferences = preferences,
                    Completeness = completeness,
                    UpdatedAt = now,
                };
                var (withCard, card) = await cards.WritesForAsync(sideDefinition, replaced, ct);
                replaced = replaced with { CardId = card };
                if (!await profiles.ReplaceAsync(replaced, existing.Version, withCard, ct))
                {
                    return Attempt.Conflict<ProfileOutcome>();
                }
                return Attempt.Done<ProfileOutcome>(new ProfileOutcome(ProfileStatus.Replaced, replaced));
            }
            if (await users.FindAsync(userId, ct) is not { } user)
            {
                return Attempt.Done<ProfileOutcome>(new ProfileOutcome(ProfileStatus.NoAccount));
            }
            var created = new ProfileRecord
            {
                Id = Ids.New(Ids.Profile, time),
                UserId = userId,
                Market = market,
                Side = side,
                DisplayName = name ?? user.DisplayName,
                Attributes = attributes,
                Preferences = preferences,
                Completeness = completeness,
                CreatedAt = now,
                UpdatedAt = now,
            };
            var (withNewCard, cardId) = await cards.WritesForAsync(sideDefinition, created, ct);
            created = created with { CardId = cardId };
            if (!await profiles.CreateAsync(created, withNewCard, ct))
            {
                return Attempt.Conflict<ProfileOutcome>();
            }
            return Attempt.Done<ProfileOutcome>(new ProfileOutcome(ProfileStatus.Created, created));
        }, cancellationToken);
    }

    /// <summary>Deletes the user's profile on a side with its card; false when there is none.</summary>
    public Task<bool> DeleteAsync(string userId, string market, string side, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync("The profile", async ct =>
        {
            if (await profiles.FindOwnAsync(userId, market, side, ct) is not { } profile)
            {
                return Attempt.Done<bool>(false);
            }
            var removal = await cards.RemovalForAsync(profile.Record, ct);
            if (!await profiles.DeleteAsync(profile.Record, profile.Version, removal.Operations, ct))
            {
                return Attempt.Conflict<bool>();
            }
            await cards.RemovedAsync(removal, ct);
            return Attempt.Done<bool>(true);
        }, cancellationToken);

    /// <summary>Marks the profile active (at most once an hour), which the quality score and the gigs filters read.</summary>
    public async Task TouchAsync(StoredProfile profile, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (profile.Record.LastActiveAt is { } last && now - last < TimeSpan.FromHours(1))
        {
            return;
        }
        await profiles.ReplaceAsync(profile.Record with { LastActiveAt = now }, profile.Version, [], cancellationToken);
    }
}
