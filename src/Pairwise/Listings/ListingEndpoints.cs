using System.Buffers.Text;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using Pairwise.Accounts;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Profiles;

namespace Pairwise.Listings;

public static class ListingEndpoints
{
    public const int MaxBrowseLimit = 100;

    public static RouteGroupBuilder MapListings(this RouteGroupBuilder v1)
    {
        var market = v1.MapGroup("/markets/{market}/listings").WithTags("Listings");
        market.MapPost("/", CreateListing)
            .WithSummary("Create a listing")
            .WithDescription("A job, a product: what a profile on a listings side offers. Attributes are checked against the market's listing schema. "
                + "Created live unless status is \"draft\" (only the owner sees drafts). Expires after the market's listing lifetime.")
            .WithExample("""
                {"title":"Road bike","description":"Steel frame, new tyres.","price":300,"tags":["bikes","vintage"],
                 "location":{"lat":22.2819,"lon":114.1582},"attributes":{"condition":"used","localPickup":true}}
                """, new Dictionary<string, string> { ["market"] = "marketplace" });
        market.MapGet("/", Browse)
            .WithSummary("Browse listings")
            .WithDescription("Live listings, newest first, with combinable filters: tags (comma-separated, all must match), minPrice, maxPrice, "
                + "condition, near=LAT,LON with radiusKm (default 10), owner (a profile id), side. Paged with limit (1–100, default 20) and cursor.")
            .WithExample(parameters: new Dictionary<string, string>
            {
                ["market"] = "marketplace", ["tags"] = "bikes,vintage", ["minPrice"] = "50", ["maxPrice"] = "500", ["condition"] = "used",
                ["near"] = "22.2819,114.1582", ["radiusKm"] = "5", ["limit"] = "20",
            });

        var listing = v1.MapGroup("/listings/{id}").WithTags("Listings");
        listing.MapGet("/", GetListing).WithSummary("Get a listing").WithDescription("Returns an ETag for If-Match on PATCH.");
        listing.MapPatch("/", UpdateListing)
            .WithSummary("Change my listing")
            .WithDescription("Fields present replace the stored ones; attributes merge by name (null removes one). Status moves forward only "
                + "(draft → live → …). Send If-Match with the ETag to avoid overwriting a newer change (412 if stale).")
            .WithExample("""{"price":250,"attributes":{"localPickup":false},"status":"sold"}""");
        listing.MapDelete("/", DeleteListing).WithSummary("Delete my listing");

        v1.MapGet("/me/listings", MyListings).WithTags("Listings")
            .WithSummary("My listings").WithDescription("Every listing I own, of every status (drafts too), newest first.");
        v1.MapPost("/operator/listings/{id}/promotion", Promote).WithTags("Operator").RequireAuthorization(OperatorPolicy.Name)
            .WithSummary("Grant a promotion")
            .WithDescription("Operators only. Sets a listing's hype level (0–100) and a boost window in days; payment is out of scope.")
            .WithExample("""{"hype":80,"boostDays":7}""");
        return v1;
    }

    public static async Task<Results<Created<ListingResponse>, ValidationProblem, ProblemHttpResult>> CreateListing(
        string market, CreateListingRequest request, ClaimsPrincipal principal, HttpContext http,
        MarketCatalog markets, ProfileStore profiles, ListingStore listings, Gigs.JobAnnouncer announcer, Stats stats, TimeProvider time, CancellationToken cancellationToken)
    {
        if (markets.Find(market) is not { } definition)
        {
            return Problems.NotFound($"There is no market '{market}'.");
        }
        var userId = principal.UserId();
        var ownSides = definition.Sides.Where(s => s.Presentation == Presentation.Listings).ToList();
        var side = request.Side is { } named ? definition.FindSide(named) : ownSides.Count == 1 ? ownSides[0] : null;
        if (side is null)
        {
            return Problems.Invalid("side", $"Name the side that owns this listing: one of {string.Join(", ", ownSides.Select(s => s.Id))}.");
        }
        if (side.Presentation != Presentation.Listings || side.Listings is not { } rules)
        {
            return Problems.Conflict(side.Presentation == Presentation.Card
                ? $"A {side.Id} is shown by the card of their profile; change the profile instead."
                : $"A {side.Id} does not own listings in '{market}'.");
        }
        if (await profiles.FindOwnAsync(userId, market, side.Id, cancellationToken) is not { } owner)
        {
            return Problems.Conflict($"Create your {side.Id} profile in '{market}' before listing.");
        }

        var errors = new Dictionary<string, string[]>();
        var tags = ValidateContent(definition, request.Title, titleRequired: true, request.Description, request.Price, request.Location, request.Tags, errors);
        var attributes = SchemaValidator.Validate(definition, rules.Attributes, request.Attributes, "attributes", errors);
        var live = rules.Statuses[0];
        var status = request.Status ?? live;
        if (status != live && status != ListingRules.Draft)
        {
            AddError(errors, "status", $"A new listing is \"{live}\" or \"{ListingRules.Draft}\".");
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        if (rules.MaxPerProfile is { } max && await CountOwnedAsync(listings, userId, owner.Record.Id, cancellationToken) >= max)
        {
            return Problems.Conflict($"A {side.Id} may own at most {max} listing(s) in '{market}'.");
        }

        var now = time.GetUtcNow();
        var record = new ListingRecord
        {
            Id = Ids.New(Ids.Listing, time),
            Market = market,
            Side = side.Id,
            OwnerProfileId = owner.Record.Id,
            OwnerUserId = userId,
            Title = request.Title!.Trim(),
            Description = request.Description?.Trim(),
            Attributes = attributes,
            Tags = tags,
            Price = request.Price,
            Location = request.Location is { } at ? new ListingLocation(at.Lat, at.Lon, at.District) : null,
            Status = status,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = rules.LifetimeDays is { } days ? now.AddDays(days) : null,
        };
        await listings.CreateAsync(record, cancellationToken);
        await stats.CountAsync(definition.Id, "listings", cancellationToken);
        if (definition.MatchRule == MatchRule.Selection && record.Status == live)
        {
            // Seed 001: the best available members hear of a new job at once.
            announcer.Posted(record.Id);
        }
        SetETag(http, 1);
        return TypedResults.Created($"/v1/listings/{record.Id}", ListingResponse.From(record));
    }

    public static async Task<Results<Ok<ListingResponse>, ProblemHttpResult>> GetListing(
        string id, ClaimsPrincipal principal, HttpContext http, ListingStore listings, CancellationToken cancellationToken)
    {
        if (await FindVisibleAsync(id, principal.UserId(), listings, cancellationToken) is not { } listing)
        {
            return Problems.NotFound($"There is no listing '{id}'.");
        }
        SetETag(http, listing.Version);
        return TypedResults.Ok(ListingResponse.From(listing.Record));
    }

    public static async Task<Results<Ok<ListingResponse>, ValidationProblem, ProblemHttpResult>> UpdateListing(
        string id, UpdateListingRequest request, ClaimsPrincipal principal, HttpContext http,
        MarketCatalog markets, ListingStore listings, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await FindOwnAsync(id, principal.UserId(), listings, cancellationToken) is not { } stored)
        {
            return Problems.NotFound($"There is no listing '{id}' of yours.");
        }
        if (stored.Record.IsCard)
        {
            return Problems.Conflict("A card mirrors its profile: change the profile instead.");
        }
        if (IfMatch(http) is { } expected && expected != stored.Version)
        {
            return TypedResults.Problem("The listing changed since you read it. GET it again and reapply your change.", statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed");
        }
        var definition = markets.Find(stored.Record.Market)!;
        var side = definition.FindSide(stored.Record.Side)!;
        var before = stored.Record;

        var errors = new Dictionary<string, string[]>();
        var tags = ValidateContent(definition, request.Title, titleRequired: false, request.Description, request.Price, request.Location, request.Tags, errors);
        var attributes = before.Attributes;
        if (request.Attributes is { } patch)
        {
            attributes = SchemaValidator.Validate(definition, side.Listings!.Attributes, Merge(before.Attributes, patch), "attributes", errors);
        }
        if (request.Status is { } status && status != before.Status && !ListingRules.CanMove(side, before.Status, status))
        {
            AddError(errors, "status", $"Cannot move from \"{before.Status}\" to \"{status}\"; the lifecycle is {string.Join(" → ", ListingRules.Lifecycle(side))}.");
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var after = before with
        {
            Title = request.Title?.Trim() ?? before.Title,
            Description = request.Description?.Trim() ?? before.Description,
            Attributes = attributes,
            Tags = request.Tags is null ? before.Tags : tags,
            Price = request.Price ?? before.Price,
            Location = request.Location is { } at ? new ListingLocation(at.Lat, at.Lon, at.District) : before.Location,
            Status = request.Status ?? before.Status,
            UpdatedAt = time.GetUtcNow(),
        };
        if (!await listings.ReplaceAsync(before, stored.Version, after, cancellationToken))
        {
            return TypedResults.Problem("The listing changed while this request ran. GET it again and reapply your change.", statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed");
        }
        SetETag(http, stored.Version + 1);
        return TypedResults.Ok(ListingResponse.From(after));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteListing(
        string id, ClaimsPrincipal principal, ListingStore listings, IBlobStore blobs, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await FindOwnAsync(id, principal.UserId(), listings, cancellationToken) is not { } stored)
            {
                return Problems.NotFound($"There is no listing '{id}' of yours.");
            }
            if (stored.Record.IsCard)
            {
                return Problems.Conflict("A card goes with its profile: delete the profile instead.");
            }
            if (await listings.DeleteAsync(stored, cancellationToken))
            {
                foreach (var image in stored.Record.Images)
                {
                    await blobs.DeleteAsync(ListingKeys.ImageBlob(image.Id), cancellationToken);
                }
                return TypedResults.NoContent();
            }
        }
        return Problems.Conflict("The listing keeps changing; try again.");
    }

    public static async Task<Results<Ok<ListResponse<ListingResponse>>, ValidationProblem>> MyListings(
        ClaimsPrincipal principal, ListingStore listings, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxBrowseLimit)
        {
            return Problems.Invalid("limit", $"Must be 1–{MaxBrowseLimit}.");
        }
        var (items, next) = await listings.ListOwnedAsync(principal.UserId(), limit ?? 20, cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<ListingResponse>([.. items.Select(l => ListingResponse.From(l))], next));
    }

    public static async Task<Results<Ok<ListResponse<ListingResponse>>, ValidationProblem, ProblemHttpResult>> Browse(
        string market, [AsParameters] BrowseQuery query, HttpRequest request, MarketCatalog markets, ListingStore listings, CancellationToken cancellationToken)
    {
        if (markets.Find(market) is null)
        {
            return Problems.NotFound($"There is no market '{market}'.");
        }
        _ = query; // bound for the OpenAPI description; parsed from the raw query to name each bad filter
        var (filter, errors) = ParseFilter(market, request.Query);
        if (filter is null)
        {
            return Problems.Invalid(errors);
        }
        var (hits, nextBefore) = await listings.BrowseAsync(filter, cancellationToken);
        var records = (await listings.GetManyAsync([.. hits.Select(h => h.Projection.Id)], cancellationToken)).ToDictionary(r => r.Id);
        var items = hits.Where(h => records.ContainsKey(h.Projection.Id))
            .Select(h => ListingResponse.From(records[h.Projection.Id], h.DistanceKm))
            .ToList();
        return TypedResults.Ok(new ListResponse<ListingResponse>(items, nextBefore is null ? null : EncodeCursor(nextBefore)));
    }

    public static async Task<Results<Ok<ListingResponse>, ValidationProblem, ProblemHttpResult>> Promote(
        string id, PromotionRequest request, ListingStore listings, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await listings.GetAsync(id, cancellationToken) is not { } stored)
            {
                return Problems.NotFound($"There is no listing '{id}'.");
            }
            var now = time.GetUtcNow();
            var after = stored.Record with
            {
                Promotion = new ListingPromotion(request.Hype, request.BoostDays > 0 ? now.AddDays(request.BoostDays) : null),
                UpdatedAt = now,
            };
            if (await listings.ReplaceAsync(stored.Record, stored.Version, after, cancellationToken))
            {
                return TypedResults.Ok(ListingResponse.From(after));
            }
        }
        return Problems.Conflict("The listing keeps changing; try again.");
    }

    /// <summary>A listing the caller may see: anything live or past, and their own drafts.</summary>
    internal static async Task<StoredListing?> FindVisibleAsync(string id, string userId, ListingStore listings, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(id, Ids.Listing) && await listings.GetAsync(id, cancellationToken) is { } listing
        && (listing.Record.Status != ListingRules.Draft || listing.Record.OwnerUserId == userId)
            ? listing
            : null;

    /// <summary>The caller's own listing; anyone else's is simply not found.</summary>
    internal static async Task<StoredListing?> FindOwnAsync(string id, string userId, ListingStore listings, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(id, Ids.Listing) && await listings.GetAsync(id, cancellationToken) is { } listing && listing.Record.OwnerUserId == userId
            ? listing
            : null;

    internal static void SetETag(HttpContext http, long version) => http.Response.Headers.ETag = $"\"{version}\"";

    private static long? IfMatch(HttpContext http) =>
        http.Request.Headers.IfMatch is [{ } value] && long.TryParse(value.Trim('"', 'W', '/'), CultureInfo.InvariantCulture, out var version) ? version : null;

    private static async Task<int> CountOwnedAsync(ListingStore listings, string userId, string profileId, CancellationToken cancellationToken)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var (items, next) = await listings.ListOwnedAsync(userId, 1000, cursor, cancellationToken);
            count += items.Count(l => l.OwnerProfileId == profileId);
            cursor = next;
        }
        while (cursor is not null);
        return count;
    }

    private static JsonElement Merge(IReadOnlyDictionary<string, JsonElement> current, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return patch; // the validator explains what is wrong with it
        }
        var merged = new JsonObject();
        foreach (var (name, value) in current)
        {
            merged[name] = JsonNode.Parse(value.GetRawText());
        }
        foreach (var property in patch.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                merged.Remove(property.Name);
            }
            else
            {
                merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }
        return JsonSerializer.SerializeToElement(merged);
    }

    private static (BrowseFilter? Filter, Dictionary<string, string[]> Errors) ParseFilter(string market, IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        string[] known = ["tags", "minPrice", "maxPrice", "condition", "near", "radiusKm", "owner", "side", "limit", "cursor"];
        foreach (var key in query.Keys.Where(k => !known.Contains(k)))
        {
            errors[key] = [$"Unknown filter. Known: {string.Join(", ", known)}."];
        }
        var minPrice = ParseDecimal(query, "minPrice", errors);
        var maxPrice = ParseDecimal(query, "maxPrice", errors);
        if (minPrice > maxPrice)
        {
            errors["minPrice"] = ["Must not be greater than maxPrice."];
        }
        GeoPoint? near = null;
        if (Single(query, "near") is { } nearText)
        {
            if (GeoPoint.TryParse(nearText, out var point))
            {
                near = point;
            }
            else
            {
                errors["near"] = [GeoPoint.Format];
            }
        }
        var radius = ParseDecimal(query, "radiusKm", errors);
        if (radius is not null && (radius <= 0 || radius > 20_000))
        {
            errors["radiusKm"] = ["Must be greater than 0 and at most 20000."];
        }
        else if (radius is not null && near is null && !errors.ContainsKey("near"))
        {
            errors["radiusKm"] = ["Only with near=LAT,LON."];
        }
        var limit = 20;
        if (Single(query, "limit") is { } limitText && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxBrowseLimit))
        {
            errors["limit"] = [$"Must be a whole number 1–{MaxBrowseLimit}."];
        }
        string? before = null;
        if (Single(query, "cursor") is { } cursor && (before = DecodeCursor(cursor)) is null)
        {
            errors["cursor"] = ["The cursor is not one this API issued."];
        }
        var (tags, tagError) = ListingRules.NormaliseTags(Single(query, "tags")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? []);
        AddError(errors, "tags", tagError);
        foreach (var name in new[] { "tags", "minPrice", "maxPrice", "condition", "near", "radiusKm", "owner", "side", "limit", "cursor" })
        {
            if (query[name].Count > 1)
            {
                errors[name] = ["Give this filter once."];
            }
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new BrowseFilter
        {
            Market = market,
            Side = Single(query, "side"),
            Tags = tags,
            MinPrice = minPrice,
            MaxPrice = maxPrice,
            Condition = Single(query, "condition"),
            Near = near,
            RadiusKm = (double)(radius ?? 10),
            OwnerProfileId = Single(query, "owner"),
            Limit = limit,
            Before = before,
        }, errors);
    }

    private static string? Single(IQueryCollection query, string name) => query[name] is [{ Length: > 0 } value] ? value : null;

    private static decimal? ParseDecimal(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Single(query, name) is not { } text)
        {
            return null;
        }
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }
        errors[name] = ["Must be a non-negative number."];
        return null;
    }

    // The browse cursor is the id of the last listing shown; wrapped so clients treat it as opaque.
    private static string EncodeCursor(string listingId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("before:" + listingId));

    private static string? DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith("before:", StringComparison.Ordinal) && Ids.IsWellFormed(text[7..], Ids.Listing) ? text[7..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Checks the fields every listing has, adding a problem per bad field; returns the normalised tags.</summary>
    private static List<string> ValidateContent(
        MarketDefinition market, string? title, bool titleRequired, string? description, decimal? price, LocationInput? location,
        IReadOnlyList<string>? tags, Dictionary<string, string[]> errors)
    {
        if (titleRequired || title is not null)
        {
            AddError(errors, "title", ListingRules.ValidateTitle(title));
        }
        AddError(errors, "description", ListingRules.ValidateDescription(description));
        AddError(errors, "price", ListingRules.ValidatePrice(price));
        AddError(errors, "location", ListingRules.ValidateLocation(market, location));
        var (normalised, tagError) = ListingRules.NormaliseTags(tags);
        AddError(errors, "tags", tagError);
        return normalised;
    }

    private static void AddError(Dictionary<string, string[]> errors, string field, string? error)
    {
        if (error is not null)
        {
            errors[field] = [error];
        }
    }
}

public sealed record CreateListingRequest(
    [MaxLength(64)] string? Side,
    string? Title,
    string? Description,
    JsonElement? Attributes,
    IReadOnlyList<string>? Tags,
    decimal? Price,
    LocationInput? Location,
    [MaxLength(32)] string? Status);

public sealed record UpdateListingRequest(
    string? Title,
    string? Description,
    JsonElement? Attributes,
    IReadOnlyList<string>? Tags,
    decimal? Price,
    LocationInput? Location,
    [MaxLength(32)] string? Status);

/// <summary>The browse filters, all as text so that a malformed one is reported by name rather than failing binding.</summary>
public sealed record BrowseQuery(
    [property: FromQuery(Name = "tags"), Description("Comma-separated tags; a listing must have all of them.")] string? Tags,
    [property: FromQuery(Name = "minPrice"), Description("Lowest price.")] string? MinPrice,
    [property: FromQuery(Name = "maxPrice"), Description("Highest price.")] string? MaxPrice,
    [property: FromQuery(Name = "condition"), Description("The listing's condition attribute, e.g. new, used.")] string? Condition,
    [property: FromQuery(Name = "near"), Description("LAT,LON in degrees: only listings within radiusKm of it, with their distance.")] string? Near,
    [property: FromQuery(Name = "radiusKm"), Description("Radius around near, in km (default 10).")] string? RadiusKm,
    [property: FromQuery(Name = "owner"), Description("A profile id: only that owner's listings.")] string? Owner,
    [property: FromQuery(Name = "side"), Description("Only listings of this side (e.g. startup cards in venture).")] string? Side,
    [property: FromQuery(Name = "limit"), Description("Page size, 1–100 (default 20).")] string? Limit,
    [property: FromQuery(Name = "cursor"), Description("nextCursor of the previous page.")] string? Cursor);

public sealed record PromotionRequest([Range(0, 100)] int Hype, [Range(0, 365)] int BoostDays);

public sealed record ImageResponse(string Id, string Url, string ContentType, int Width, int Height, long Bytes)
{
    public static ImageResponse From(ListingImage image) => new(image.Id, $"/v1/images/{image.Id}", image.ContentType, image.Width, image.Height, image.Bytes);
}

public sealed record ListingResponse(
    string Id, string Market, string Side, string OwnerProfileId, bool IsCard, string Title, string? Description,
    IReadOnlyDictionary<string, JsonElement> Attributes, IReadOnlyList<string> Tags, decimal? Price, ListingLocation? Location,
    IReadOnlyList<ImageResponse> Images, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ExpiresAt,
    ListingPromotion? Promotion, double? DistanceKm)
{
    public static ListingResponse From(ListingRecord l, double? distanceKm = null) => new(
        l.Id, l.Market, l.Side, l.OwnerProfileId, l.IsCard, l.Title, l.Description, l.Attributes, l.Tags, l.Price, l.Location,
        [.. l.Images.Select(ImageResponse.From)], l.Status, l.CreatedAt, l.UpdatedAt, l.ExpiresAt, l.Promotion,
        distanceKm is { } d ? Math.Round(d, 3) : null);
}
