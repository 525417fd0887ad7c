using Pairwise.Markets;
using Pairwise.Profiles;

namespace Pairwise.Listings;

/// <summary>What a listing may hold and how its status may move, as the market defines it.</summary>
public static class ListingRules
{
    public const string Draft = "draft";
    public const string CardStatus = "active";
    public const int MaxTitleLength = 140;
    public const int MaxDescriptionLength = 5000;
    public const int MaxTags = 20;
    public const decimal MaxPrice = 1_000_000_000_000m;

    /// <summary>The status in which a listing is shown to others: cards are always active; listings are live in their first status.</summary>
    public static string? LiveStatus(MarketDefinition? market, string side) =>
        market?.FindSide(side) is not { } definition ? null
        : definition.Presentation == Presentation.Card ? CardStatus
        : definition.Listings?.Statuses[0];

    /// <summary>
    /// Whether others may see the listing at all: not a draft, and with at least the images its market
    /// asks for (a product needs a photo): below that it is a draft in all but name until it has them.
    /// </summary>
    public static bool IsShown(MarketDefinition? market, ListingRecord listing) =>
        listing.Status != Draft && listing.Images.Count >= MinImages(market, listing.Side);

    /// <summary>How many images a listing of this side needs before others see it (the market's listings.images.min).</summary>
    public static int MinImages(MarketDefinition? market, string side) =>
        market?.FindSide(side) is { Presentation: not Presentation.Card, Listings: { } listings } ? listings.Images.Min : 0;

    /// <summary>The statuses a listing may have: draft, then the market's lifecycle in order.</summary>
    public static IReadOnlyList<string> Lifecycle(SideDefinition side) => [Draft, .. side.Listings?.Statuses ?? []];

    /// <summary>
    /// Forward only: a draft is published, a job closes then completes, a product sells; nothing goes
    /// back. The hold status (reserved) is not the owner's to set: accepting an offer sets it, and
    /// calling the deal off clears it.
    /// </summary>
    public static bool CanMove(SideDefinition side, string from, string to)
    {
        var lifecycle = Lifecycle(side);
        var fromIndex = IndexOf(lifecycle, from);
        var toIndex = IndexOf(lifecycle, to);
        return toIndex > fromIndex && fromIndex >= 0 && to != side.Listings?.HoldStatus;
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    public static string? ValidateTitle(string? title) =>
        string.IsNullOrWhiteSpace(title) ? "Required." : title.Trim().Length > MaxTitleLength ? $"At most {MaxTitleLength} characters." : null;

    public static string? ValidateDescription(string? description) =>
        description is { Length: > MaxDescriptionLength } ? $"At most {MaxDescriptionLength} characters." : null;

    public static (List<string> Tags, string? Error) NormaliseTags(IReadOnlyList<string>? tags)
    {
        var normalised = new List<string>();
        foreach (var tag in tags ?? [])
        {
            var value = SchemaValidator.NormaliseTag(tag ?? "");
            if (value.Length is 0 or > SchemaValidator.MaxTagLength)
            {
                return ([], $"Each tag is 1–{SchemaValidator.MaxTagLength} characters.");
            }
            if (!normalised.Contains(value))
            {
                normalised.Add(value);
            }
        }
        return normalised.Count > MaxTags ? ([], $"At most {MaxTags} tags.") : (normalised, null);
    }

    public static string? ValidatePrice(decimal? price) =>
        price is < 0 or > MaxPrice ? $"Must be between 0 and {MaxPrice:0}." : null;

    public static string? ValidateLocation(MarketDefinition market, LocationInput? location)
    {
        if (location is null)
        {
            return null;
        }
        if (location.Lat is < -90 or > 90 || location.Lon is < -180 or > 180 || !double.IsFinite(location.Lat) || !double.IsFinite(location.Lon))
        {
            return "lat is −90…90 and lon is −180…180.";
        }
        if (location.District is { } district && market.ValueSets.TryGetValue("districts", out var districts) && !districts.Contains(district))
        {
            return $"district must be one of the market's districts ({string.Join(", ", districts.Take(8))}, …).";
        }
        return location.District is { Length: > 100 } ? "district is at most 100 characters." : null;
    }

    /// <summary>
    /// The card that shows a profile in a card market: its display name as title, its first text
    /// attribute as description, its attributes, its first tag list and its first geo point.
    /// </summary>
    public static ListingRecord Card(ProfileRecord profile, SideDefinition side, string cardId, DateTimeOffset createdAt, DateTimeOffset now)
    {
        string? description = null;
        IReadOnlyList<string> tags = [];
        ListingLocation? location = null;
        foreach (var field in side.Attributes)
        {
            if (!profile.Attributes.TryGetValue(field.Name, out var value))
            {
                continue;
            }
            switch (field.Type)
            {
                case FieldType.Text when description is null: description = value.GetString(); break;
                case FieldType.Tags when tags.Count == 0: tags = [.. value.EnumerateArray().Select(t => t.GetString()!).Take(MaxTags)]; break;
                case FieldType.Geo when location is null: location = new ListingLocation(value.GetProperty("lat").GetDouble(), value.GetProperty("lon").GetDouble()); break;
                default: break;
            }
        }
        return new ListingRecord
        {
            Id = cardId,
            Market = profile.Market,
            Side = profile.Side,
            OwnerProfileId = profile.Id,
            OwnerUserId = profile.UserId,
            IsCard = true,
            Title = profile.DisplayName,
            Description = description,
            Attributes = profile.Attributes,
            Tags = tags,
            Location = location,
            Status = CardStatus,
            CreatedAt = createdAt,
            UpdatedAt = now,
        };
    }
}

public sealed record LocationInput(double Lat, double Lon, string? District = null);
