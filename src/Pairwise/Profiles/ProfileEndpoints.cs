using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;

namespace Pairwise.Profiles;

public static class ProfileEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
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
            .WithSummary("A profile as others see it").WithDescription("Attributes, completeness, photo and trust signals (verified e-mail and phone, member since, "
                + "verified shop, reviews); preferences stay private.");
        return v1;
    }

    public static async Task<Results<Created<ProfileResponse>, Ok<ProfileResponse>, ValidationProblem, ProblemHttpResult>> PutProfile(
        string market, string side, ProfileRequest request, ClaimsPrincipal principal, ProfileService profiles, CancellationToken cancellationToken)
    {
        var outcome = await profiles.PutAsync(principal.UserId(), market, side, request.DisplayName, request.Attributes, request.Preferences, cancellationToken);
        return outcome.Status switch
        {
            ProfileStatus.Created => TypedResults.Created($"/v1/profiles/{outcome.Profile!.Id}", ProfileResponse.From(outcome.Profile)),
            ProfileStatus.Replaced => TypedResults.Ok(ProfileResponse.From(outcome.Profile!)),
            ProfileStatus.Invalid => Problems.Invalid(outcome.Errors!),
            ProfileStatus.NoAccount => Problems.NotFound("The account no longer exists."),
            _ => Problems.NotFound($"There is no side '{side}' in a market '{market}'."),
        };
    }

    public static async Task<Results<Ok<ProfileResponse>, ProblemHttpResult>> GetMyProfile(
        string market, string side, ClaimsPrincipal principal, ProfileStore profiles, CancellationToken cancellationToken) =>
        await profiles.FindOwnAsync(principal.UserId(), market, side, cancellationToken) is { } profile
            ? TypedResults.Ok(ProfileResponse.From(profile.Record))
            : Problems.NotFound($"You have no {side} profile in '{market}'.");

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteMyProfile(
        string market, string side, ClaimsPrincipal principal, ProfileService profiles, CancellationToken cancellationToken) =>
        await profiles.DeleteAsync(principal.UserId(), market, side, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"You have no {side} profile in '{market}'.");

    public static async Task<Results<Ok<PublicProfileResponse>, ProblemHttpResult>> GetPublicProfile(
        string id, ProfileStore profiles, Accounts.UserStore users, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(id, Ids.Profile) && await profiles.GetAsync(id, cancellationToken) is { } profile
            ? TypedResults.Ok(PublicProfileResponse.From(profile.Record, await users.FindAsync(profile.Record.UserId, cancellationToken)))
            : Problems.NotFound($"There is no profile '{id}'.");
}

public sealed record ProfileRequest(
    [StringLength(80), CleanName] string? DisplayName,
    JsonElement? Attributes,
    JsonElement? Preferences);

public sealed record ProfileResponse(
    string Id, string Market, string Side, string DisplayName,
    IReadOnlyDictionary<string, JsonElement> Attributes, IReadOnlyDictionary<string, JsonElement> Preferences,
    double Completeness, string? CardId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, PhotoResponse? Photo, string? CurrentJobId)
{
    public static ProfileResponse From(ProfileRecord p) =>
        new(p.Id, p.Market, p.Side, p.DisplayName, p.Attributes, p.Preferences, p.Completeness, p.CardId, p.CreatedAt, p.UpdatedAt, PhotoResponse.From(p), p.CurrentJobId);
}

/// <param name="Srcset">The narrower copies for an img srcset, the full size last.</param>
public sealed record PhotoResponse(string Url, int Width, int Height, string Srcset)
{
    public static PhotoResponse? From(ProfileRecord profile) => profile.Photo is not { } photo ? null : new(
        $"/v1/profiles/{profile.Id}/photo?v={photo.Id}", photo.Width, photo.Height,
        string.Join(", ", photo.Widths.Select(w => $"/v1/profiles/{profile.Id}/photo?v={photo.Id}&w={w} {w}w").Append($"/v1/profiles/{profile.Id}/photo?v={photo.Id} {photo.Width}w")));
}

/// <summary>What others can check about who they deal with (seed 002's trust signals).</summary>
public sealed record TrustResponse(bool EmailVerified, bool PhoneVerified, DateTimeOffset MemberSince, bool VerifiedShop, RatingsResponse Reviews);

public sealed record PublicProfileResponse(
    string Id, string UserId, string Market, string Side, string DisplayName,
    IReadOnlyDictionary<string, JsonElement> Attributes, double Completeness, string? CardId, DateTimeOffset CreatedAt, RatingsResponse Ratings,
    PhotoResponse? Photo, TrustResponse Trust)
{
    public static PublicProfileResponse From(ProfileRecord p, Accounts.UserRecord? owner) =>
        new(p.Id, p.UserId, p.Market, p.Side, p.DisplayName, p.Attributes, p.Completeness, p.CardId, p.CreatedAt, RatingsResponse.From(p.Ratings), PhotoResponse.From(p),
            new TrustResponse(owner?.EmailVerified ?? false, owner?.PhoneVerified ?? false, owner?.CreatedAt ?? p.CreatedAt, owner?.ShopVerifiedAt is not null,
                RatingsResponse.From(p.Ratings)));
}

/// <summary>What others said after deals: counts, the bad share (seed 001 filters on it) and, where stars are used, the average.</summary>
public sealed record RatingsResponse(int Count, int Good, int Neutral, int Bad, double BadRatio, double? AverageStars)
{
    public static RatingsResponse From(RatingSummary? r) =>
        r is null ? new(0, 0, 0, 0, 0, null) : new(r.Count, r.Good, r.Neutral, r.Bad, Math.Round(r.BadRatio, 4), r.AverageStars);
}
