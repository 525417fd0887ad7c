using System.Text.Json;
using System.Text.Json.Nodes;
using Pairwise.Markets;
using Pairwise.Observability;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;

namespace Pairwise.Listings;

public enum ListingStatus
{
    Done,
    NotFound,
    Invalid,
    Conflict,
    Stale,
}

/// <summary>What a listing write did: the listing and its new version, or why not.</summary>
public sealed record ListingOutcome(ListingStatus Status, ListingRecord? Listing = null, long Version = 0, string? Detail = null, IDictionary<string, string[]>? Errors = null)
{
    public static ListingOutcome NotFound(string detail) => new(ListingStatus.NotFound, Detail: detail);

    public static ListingOutcome Conflict(string detail) => new(ListingStatus.Conflict, Detail: detail);

    public static ListingOutcome Invalid(string field, string detail) => new(ListingStatus.Invalid, Errors: new Dictionary<string, string[]> { [field] = [detail] });

    public static ListingOutcome Invalid(IDictionary<string, string[]> errors) => new(ListingStatus.Invalid, Errors: errors);
}

/// <summary>The rules of listings: who may list what, content checks, the lifecycle, visibility and promotion.</summary>
public sealed class ListingService(
    MarketCatalog markets, ProfileStore profiles, ListingStore listings, IBlobStore blobs, NewListings posted, Hype hype, Stats stats,
    IEnumerable<IListingAnnouncer> announcers, TimeProvider time)
{
    public Task<StoredListing?> GetAsync(string id, CancellationToken cancellationToken) => listings.GetAsync(id, cancellationToken);

    public bool IsLive(ListingRecord listing) => listings.IsLive(listing);

    public async Task<ListingOutcome> CreateAsync(string userId, string market, CreateListingRequest request, CancellationToken cancellationToken)
    {
        if (markets.Find(market) is not { } definition)
        {
            return ListingOutcome.NotFound($"There is no market '{market}'.");
        }
                var ownSides = definition.Sides.Where(s => s.Presentation == Presentation.Listings).ToList();
        var side = request.Side is { } named ? definition.FindSide(named) : ownSides.Count == 1 ? ownSides[0] : null;
        if (side is null)
        {
            return ListingOutcome.Invalid("side", $"Name the side that owns this listing: one of {string.Join(", ", ownSides.Select(s => s.Id))}.");
        }
        if (side.Presentation != Presentation.Listings || side.Listings is not { } rules)
        {
            return ListingOutcome.Conflict(side.Presentation == Presentation.Card
                ? $"A {side.Id} is shown by the card of their profile; change the profile instead."
                : $"A {side.Id} does not own listings in '{market}'.");
        }
        if (await profiles.FindOwnAsync(userId, market, side.Id, cancellationToken) is not { } owner)
        {
            return ListingOutcome.Conflict($"Create your {side.Id} profile in '{market}' before listing.");
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
            return ListingOutcome.Invalid(errors);
        }
        if (rules.MaxPerProfile is { } max && await CountOwnedAsync(userId, owner.Record.Id, cancellationToken) >= max)
        {
            return ListingOutcome.Conflict($"A {side.Id} may own at most {max} listing(s) in '{market}'.");
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
            posted.Posted(record.Id);
        }
        if (record.Status == live)
        {
            foreach (var announcer in announcers)
            {
                await announcer.AnnounceAsync(record, cancellationToken);
            }
        }
        return new ListingOutcome(ListingStatus.Done, record, 1);
    }


    public async Task<ListingOutcome> UpdateAsync(string id, string userId, UpdateListingRequest request, long? ifMatch, CancellationToken cancellationToken)
    {
        if (await FindOwnAsync(id, userId, cancellationToken) is not { } stored)
        {
            return ListingOutcome.NotFound($"There is no listing '{id}' of yours.");
        }
        if (stored.Record.IsCard)
        {
            return ListingOutcome.Conflict("A card mirrors its profile: change the profile instead.");
        }
        if (ifMatch is { } expected && expected != stored.Version)
        {
            return new ListingOutcome(ListingStatus.Stale, Detail: "The listing changed since you read it. GET it again and reapply your change.");
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
            AddError(errors, "status", status == side.Listings?.HoldStatus
                ? $"\"{status}\" comes from accepting an offer in the conversation, not from an edit."
                : $"Cannot move from \"{before.Status}\" to \"{status}\"; the lifecycle is {string.Join(" → ", ListingRules.Lifecycle(side))}.");
        }
        if (errors.Count > 0)
        {
            return ListingOutcome.Invalid(errors);
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
            return new ListingOutcome(ListingStatus.Stale, Detail: "The listing changed while this request ran. GET it again and reapply your change.");
        }
        return new ListingOutcome(ListingStatus.Done, after, stored.Version + 1);
    }


    public Task<ListingOutcome> DeleteAsync(string id, string userId, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync("The listing", async ct =>
        {
            if (await FindOwnAsync(id, userId, ct) is not { } stored)
            {
                return Attempt.Done<ListingOutcome>(ListingOutcome.NotFound($"There is no listing '{id}' of yours."));
            }
            if (stored.Record.IsCard)
            {
                return Attempt.Done<ListingOutcome>(ListingOutcome.Conflict("A card goes with its profile: delete the profile instead."));
            }
            if (!await listings.DeleteAsync(stored, ct))
            {
                return Attempt.Conflict<ListingOutcome>();
            }
            foreach (var image in stored.Record.Images)
            {
                await ImagePipeline.DeleteAsync(blobs, ListingKeys.ImageBlob(image.Id), ct);
            }
            return Attempt.Done<ListingOutcome>(new ListingOutcome(ListingStatus.Done, stored.Record));
        }, cancellationToken);

    /// <summary>An operator's grant of hype and a boost window.</summary>
    public Task<ListingOutcome> PromoteAsync(string id, int hype, int boostDays, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync("The listing", async ct =>
        {
            if (await listings.GetAsync(id, ct) is not { } stored)
            {
                return Attempt.Done<ListingOutcome>(ListingOutcome.NotFound($"There is no listing '{id}'."));
            }
            var now = time.GetUtcNow();
            var after = stored.Record with
            {
                Promotion = new ListingPromotion(hype, boostDays > 0 ? now.AddDays(boostDays) : null),
                UpdatedAt = now,
            };
            return await listings.ReplaceAsync(stored.Record, stored.Version, after, ct)
                ? Attempt.Done<ListingOutcome>(new ListingOutcome(ListingStatus.Done, after, stored.Version + 1))
                : Attempt.Conflict<ListingOutcome>();
        }, cancellationToken);

    /// <summary>A listing the caller may see: anything live or past, and their own drafts.</summary>
    public Task<StoredListing?> FindVisibleAsync(string id, string userId, CancellationToken cancellationToken) => listings.FindVisibleAsync(id, userId, cancellationToken);

    /// <summary>A listing the caller may see, opened: counted as a view (hype) when it is someone else's.</summary>
    public async Task<StoredListing?> ViewAsync(string id, string userId, CancellationToken cancellationToken)
    {
        var listing = await listings.FindVisibleAsync(id, userId, cancellationToken);
        if (listing is not null && listing.Record.OwnerUserId != userId)
        {
            await hype.RecordAsync(listing.Record.Id, HypeSignal.View, cancellationToken);
        }
        return listing;
    }

    /// <summary>The owner's view of their listing's hype: the score and what it comes from; null for anyone else's.</summary>
    public async Task<HypeScore?> HypeAsync(string id, string userId, CancellationToken cancellationToken) =>
        await listings.FindOwnAsync(id, userId, cancellationToken) is { } own ? await hype.ScoreAsync(own.Record.Id, cancellationToken) : null;

    /// <summary>A page of live listings matching the filter, newest first, with each one's distance from the place searched near; and where the next page starts (a listing id).</summary>
    public async Task<(IReadOnlyList<(ListingRecord Listing, double? DistanceKm)> Items, string? NextBefore)> BrowseAsync(BrowseFilter filter, CancellationToken cancellationToken)
    {
        var (hits, nextBefore) = await listings.BrowseAsync(filter, cancellationToken);
        var records = (await listings.GetManyAsync([.. hits.Select(h => h.Projection.Id)], cancellationToken)).ToDictionary(r => r.Id);
        return ([.. hits.Where(h => records.ContainsKey(h.Projection.Id)).Select(h => (records[h.Projection.Id], h.DistanceKm))], nextBefore);
    }

    /// <summary>The caller's own listing; anyone else's is simply not found.</summary>
    public Task<StoredListing?> FindOwnAsync(string id, string userId, CancellationToken cancellationToken) => listings.FindOwnAsync(id, userId, cancellationToken);

    private async Task<int> CountOwnedAsync(string userId, string profileId, CancellationToken cancellationToken)
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
