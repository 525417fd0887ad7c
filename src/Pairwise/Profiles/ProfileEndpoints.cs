using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Accounts;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Ranking;
using Pairwise.Storage;

namespace Pairwise.Profiles;

public static class ProfileEndpoints
{
    public static RouteGroupBuilder MapProfiles(this RouteGroupBuilder v1)
    {
        var mine = v1.MapGroup("/markets/{market}/profiles/{side}").WithTags("Profiles");
        mine.MapPut("/", PutProfile)
            .WithSummary("Create or replace my profile on a side")
            .WithDescription("One profile per side of each market. Attributes and preferences are checked against the market's schema; "
                + "an unknown field, a wrong type or an out-of-range value gets a 400 that names the field. 201 when created, 200 when replaced. "
                + "On sides shown as cards the profile's card (a listing) is created and kept in step; its id is cardId.")
            .WithExample("""
                {"displayName":"Harbour Ventures",
                 "attributes":{"industries":["fintech","ai"],"fundingStages":["seed"],"locations":["Hong Kong"],"minCheck":100000,"maxCheck":500000},
                 "preferences":{"industries":["fintech","ai"],"fundingStages":["seed"],"locations":["Hong Kong"],"minFunding":250000}}
                """, new Dictionary<string, string> { ["market"] = "venture", ["side"] = "investor" });
        mine.MapGet("/me", GetMyProfile).WithSummary("My profile on a side");
        mine.MapDelete("/me", DeleteMyProfile).WithSummary("Delete my profile on a side");
        v1.MapGet("/profiles/{id}", GetPublicProfile).WithTags("Profiles")
            .WithSummary("A profile as others see it").WithDescription("Attributes and completeness; preferences stay private.");
        return v1;
    }

    public static async Task<Results<Created<ProfileResponse>, Ok<ProfileResponse>, ValidationProblem, ProblemHttpResult>> PutProfile(
        string market, string side, ProfileRequest request, ClaimsPrincipal principal,
        MarketCatalog markets, ProfileStore profiles, ListingStore listings, ListingChanges changes, IItemStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var definition = markets.Find(market);
        var sideDefinition = definition?.FindSide(side);
        if (definition is null || sideDefinition is null)
        {
            return Problems.NotFound($"There is no side '{side}' in a market '{market}'.");
        }
        var errors = new Dictionary<string, string[]>();
        var attributes = SchemaValidator.Validate(definition, sideDefinition.Attributes, request.Attributes, "attributes", errors);
        var preferences = SchemaValidator.Validate(definition, sideDefinition.Preferences, request.Preferences, "preferences", errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var userId = principal.UserId();
        var now = time.GetUtcNow();
        var completeness = ProfileRules.Completeness(sideDefinition, attributes, preferences);
        // A create can lose a race with a concurrent create of the same side: then it updates.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (attempt > 0)
            {
                // Concurrent writers of one profile: back off a little so one of them gets through.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
            if (await profiles.FindOwnAsync(userId, market, side, cancellationToken) is { } existing)
            {
                var replaced = existing.Record with
                {
                    DisplayName = request.DisplayName?.Trim() is { Length: > 0 } name ? name : existing.Record.DisplayName,
                    Attributes = attributes,
                    Preferences = preferences,
                    Completeness = completeness,
                    UpdatedAt = now,
                };
                var (withCard, card) = await CardOperationsAsync(listings, sideDefinition, replaced, time, cancellationToken);
                replaced = replaced with { CardId = card };
                if (await profiles.ReplaceAsync(replaced, existing.Version, withCard, cancellationToken))
                {
                    Publish(changes, card);
                    return TypedResults.Ok(ProfileResponse.From(replaced));
                }
                continue;
            }
            var user = await store.GetAsync(AccountKeys.User(userId), cancellationToken);
            if (user is null)
            {
                return Problems.NotFound("The account no longer exists.");
            }
            var created = new ProfileRecord
            {
                Id = Ids.New(Ids.Profile, time),
                UserId = userId,
                Market = market,
                Side = side,
                DisplayName = request.DisplayName?.Trim() is { Length: > 0 } given ? given : ItemJson.Deserialize(user, AccountJson.Default.UserRecord).DisplayName,
                Attributes = attributes,
                Preferences = preferences,
                Completeness = completeness,
                CreatedAt = now,
                UpdatedAt = now,
            };
            var (withNewCard, cardId) = await CardOperationsAsync(listings, sideDefinition, created, time, cancellationToken);
            created = created with { CardId = cardId };
            if (await profiles.CreateAsync(created, withNewCard, cancellationToken))
            {
                Publish(changes, cardId);
                return TypedResults.Created($"/v1/profiles/{created.Id}", ProfileResponse.From(created));
            }
        }
        return Problems.Conflict("The profile is being changed by another request; try again.");
    }

    public static async Task<Results<Ok<ProfileResponse>, ProblemHttpResult>> GetMyProfile(
        string market, string side, ClaimsPrincipal principal, ProfileStore profiles, CancellationToken cancellationToken) =>
        await profiles.FindOwnAsync(principal.UserId(), market, side, cancellationToken) is { } profile
            ? TypedResults.Ok(ProfileResponse.From(profile.Record))
            : Problems.NotFound($"You have no {side} profile in '{market}'.");

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteMyProfile(
        string market, string side, ClaimsPrincipal principal, ProfileStore profiles, ListingStore listings, ListingChanges changes, IBlobStore blobs, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await profiles.FindOwnAsync(principal.UserId(), market, side, cancellationToken) is not { } profile)
            {
                return Problems.NotFound($"You have no {side} profile in '{market}'.");
            }
            var card = profile.Record.CardId is { } cardId ? await listings.GetIncludingExpiredAsync(cardId, cancellationToken) : null;
            if (await profiles.DeleteAsync(profile.Record, profile.Version, card is null ? [] : listings.DeleteOperations(card), cancellationToken))
            {
                Publish(changes, card?.Record.Id);
                foreach (var image in card?.Record.Images ?? [])
                {
                    await blobs.DeleteAsync(ListingKeys.ImageBlob(image.Id), cancellationToken);
                }
                return TypedResults.NoContent();
            }
        }
        return Problems.Conflict("The profile keeps changing; try again.");
    }

    private static void Publish(ListingChanges changes, string? cardId)
    {
        if (cardId is not null)
        {
            changes.Publish(cardId);
        }
    }

    /// <summary>
    /// On sides shown as cards, the writes that keep the profile's card in step with it: created
    /// with the profile, replaced with it (keeping the card's images and promotion).
    /// </summary>
    public static async Task<(List<WriteOperation> Operations, string? CardId)> CardOperationsAsync(
        ListingStore listings, SideDefinition side, ProfileRecord profile, TimeProvider time, CancellationToken cancellationToken)
    {
        if (side.Presentation != Presentation.Card)
        {
            return ([], null);
        }
        var now = time.GetUtcNow();
        if (profile.CardId is { } cardId && await listings.GetIncludingExpiredAsync(cardId, cancellationToken) is { } current)
        {
            var card = ListingRules.Card(profile, side, cardId, current.Record.CreatedAt, now) with { Images = current.Record.Images, Promotion = current.Record.Promotion };
            return (listings.ReplaceOperations(current.Record, current.Version, card), cardId);
        }
        var id = Ids.New(Ids.Listing, time);
        return (listings.CreateOperations(ListingRules.Card(profile, side, id, now, now)), id);
    }

    public static async Task<Results<Ok<PublicProfileResponse>, ProblemHttpResult>> GetPublicProfile(string id, ProfileStore profiles, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(id, Ids.Profile) && await profiles.GetAsync(id, cancellationToken) is { } profile
            ? TypedResults.Ok(PublicProfileResponse.From(profile.Record))
            : Problems.NotFound($"There is no profile '{id}'.");
}

public sealed record ProfileRequest(
    [StringLength(80)] string? DisplayName,
    JsonElement? Attributes,
    JsonElement? Preferences);

public sealed record ProfileResponse(
    string Id, string Market, string Side, string DisplayName,
    IReadOnlyDictionary<string, JsonElement> Attributes, IReadOnlyDictionary<string, JsonElement> Preferences,
    double Completeness, string? CardId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProfileResponse From(ProfileRecord p) =>
        new(p.Id, p.Market, p.Side, p.DisplayName, p.Attributes, p.Preferences, p.Completeness, p.CardId, p.CreatedAt, p.UpdatedAt);
}

public sealed record PublicProfileResponse(
    string Id, string UserId, string Market, string Side, string DisplayName,
    IReadOnlyDictionary<string, JsonElement> Attributes, double Completeness, string? CardId, DateTimeOffset CreatedAt, RatingsResponse Ratings)
{
    public static PublicProfileResponse From(ProfileRecord p) =>
        new(p.Id, p.UserId, p.Market, p.Side, p.DisplayName, p.Attributes, p.Completeness, p.CardId, p.CreatedAt, RatingsResponse.From(p.Ratings));
}

/// <summary>What others said after deals: counts, the bad share (seed 001 filters on it) and, where stars are used, the average.</summary>
public sealed record RatingsResponse(int Count, int Good, int Neutral, int Bad, double BadRatio, double? AverageStars)
{
    public static RatingsResponse From(RatingSummary? r) =>
        r is null ? new(0, 0, 0, 0, 0, null) : new(r.Count, r.Good, r.Neutral, r.Bad, Math.Round(r.BadRatio, 4), r.AverageStars);
}
