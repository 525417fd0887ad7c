namespace Pairwise.Markets;

/// <summary>
/// One matching arena, read from a JSON file under <c>markets/</c>. The same shape is what
/// <c>GET /v1/markets/{market}</c> returns, so clients can build their forms from it.
/// </summary>
public sealed record MarketDefinition
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }

    /// <summary>How a like becomes a match.</summary>
    public required MatchRule MatchRule { get; init; }

    public required IReadOnlyList<SideDefinition> Sides { get; init; }

    /// <summary>Named lists of allowed values that several fields share (industries, districts…).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ValueSets { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// What a stored value is called on screen, for any field of the market ("series-a" → "Series A");
    /// a value without one is shown as stored. Values stay the stable keys in data and filters.
    /// </summary>
    public IReadOnlyDictionary<string, string> ValueLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>The ISO 4217 currency of listing prices and money amounts in this market ("USD", "HKD").</summary>
    public string? Currency { get; init; }

    /// <summary>
    /// Named places of the market with their coordinates (districts, towns, stations): what forms
    /// offer for a location instead of latitude and longitude, beside "use my location".
    /// </summary>
    public IReadOnlyList<NamedPlace> Places { get; init; } = [];

    public required ScoringDefinition Scoring { get; init; }

    /// <summary>How long messages are kept and how long they may be.</summary>
    public ConversationSettings Conversations { get; init; } = new();

    /// <summary>How members rate each other after a match, deal or job.</summary>
    public ReviewSettings Reviews { get; init; } = new();

    /// <summary>Selection markets: the matching window and who is told about a new listing.</summary>
    public SelectionSettings Selection { get; init; } = new();

    public SideDefinition? FindSide(string side) => Sides.FirstOrDefault(s => s.Id == side);

    /// <summary>The side whose cards a member of <paramref name="side"/> sees: the other one, or the same one in a one-sided market.</summary>
    public SideDefinition CounterpartOf(SideDefinition side) => Sides.FirstOrDefault(s => s.Id != side.Id) ?? side;

    public IReadOnlyList<string> AllowedValues(FieldDefinition field) =>
        field.Values ?? (field.ValueSet is not null && ValueSets.TryGetValue(field.ValueSet, out var set) ? set : []);
}

public enum MatchRule
{
    /// <summary>Both sides like each other (venture, dating).</summary>
    Mutual,

    /// <summary>A like opens an offer and a conversation with the owner (marketplace).</summary>
    Instant,

    /// <summary>Members respond to a listing during a window and its owner selects one (gigs).</summary>
    Selection,
}

public sealed record NamedPlace(string Name, double Lat, double Lon);

public enum Presentation
{
    /// <summary>Each profile is shown as exactly one card that mirrors it (a startup, an investor, a worker).</summary>
    Card,

    /// <summary>Profiles own listings that are shown instead (an employer's jobs, a seller's products).</summary>
    Listings,

    /// <summary>Members only browse; nothing of theirs is shown (a buyer).</summary>
    None,
}

public sealed record SideDefinition
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required Presentation Presentation { get; init; }
    public IReadOnlyList<FieldDefinition> Attributes { get; init; } = [];
    public IReadOnlyList<FieldDefinition> Preferences { get; init; } = [];

    /// <summary>What this side's listings look like; required when <see cref="Presentation"/> is <c>listings</c>.</summary>
    public ListingDefinition? Listings { get; init; }
}

public sealed record ListingDefinition
{
    /// <summary>What a listing is called in this market: job, product.</summary>
    public required string Kind { get; init; }

    /// <summary>How many live listings one profile may own; null for no limit.</summary>
    public int? MaxPerProfile { get; init; }

    /// <summary>Days until a listing expires; null for never.</summary>
    public int? LifetimeDays { get; init; }

    /// <summary>The lifecycle, first status first (e.g. matching, closed, completed).</summary>
    public required IReadOnlyList<string> Statuses { get; init; }

    /// <summary>
    /// The status a listing takes while a priced offer on it is accepted (marketplace: reserved): it
    /// leaves feeds and search, and goes back to live if the deal is called off. Null: accepting
    /// an offer leaves the listing as it is.
    /// </summary>
    public string? HoldStatus { get; init; }

    /// <summary>The status a completed deal moves the listing to (marketplace: sold).</summary>
    public string? DoneStatus { get; init; }

    public IReadOnlyList<FieldDefinition> Attributes { get; init; } = [];
    public ImageRule Images { get; init; } = new();

    /// <summary>
    /// Built-in listing fields this market does not use, which forms leave out: <c>price</c> (a job
    /// pays by its hourly rate), <c>tags</c>, <c>location</c> (a job has its district).
    /// </summary>
    public IReadOnlyList<string> Hide { get; init; } = [];
}

public sealed record ImageRule
{
    public int Min { get; init; }
    public int Max { get; init; } = 5;
}

public sealed record FieldDefinition
{
    public required string Name { get; init; }
    public required FieldType Type { get; init; }
    public string? Label { get; init; }
    public string? Description { get; init; }
    public bool Required { get; init; }

    /// <summary>Allowed values for category fields, inline…</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>…or by the name of one of the market's value sets.</summary>
    public string? ValueSet { get; init; }

    /// <summary>Bounds of numbers and ranges.</summary>
    public double? Min { get; init; }
    public double? Max { get; init; }

    /// <summary>For numbers: another number field of the same schema this one may not exceed (a lowest price and a highest).</summary>
    public string? NotAbove { get; init; }

    /// <summary>For text: characters. For lists: items.</summary>
    public int? MaxLength { get; init; }
    public int? MaxItems { get; init; }
}

public enum FieldType
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>One value of a list.</summary>
    Category,

    /// <summary>Several values of a list, unordered.</summary>
    Categories,

    /// <summary>Several values of a list, most wanted first.</summary>
    RankedCategories,

    /// <summary>Free-form labels, normalised to lower case.</summary>
    Tags,

    Number,
    Integer,

    /// <summary>An object <c>{min, max}</c> of numbers.</summary>
    Range,

    /// <summary>An object <c>{lat, lon}</c>.</summary>
    Geo,

    Boolean,

    /// <summary>An absolute http(s) address.</summary>
    Url,

    /// <summary>An ISO 8601 date and time with offset.</summary>
    DateTime,

    /// <summary>A time of day, <c>HH:mm</c>.</summary>
    Time,

    /// <summary>A calendar day, <c>yyyy-MM-dd</c> (a shift's date).</summary>
    Date,

    /// <summary>An object of the field's values to numbers within min–max, e.g. interests rated 1–10.</summary>
    Ratings,
}

public sealed record ConversationSettings
{
    /// <summary>Messages are deleted this many days after they are sent (seed 001: a year).</summary>
    public int MessageRetentionDays { get; init; } = 365;

    /// <summary>The longest message, in characters.</summary>
    public int MaxMessageLength { get; init; } = 4000;
}

public enum WindowStart
{
    /// <summary>The window opens with the first response (seed 001: "the first responses are collected").</summary>
    FirstResponse,

    /// <summary>The window opens when the listing is posted.</summary>
    Posting,
}

public sealed record SelectionSettings
{
    /// <summary>How long responses are taken, in minutes.</summary>
    public int WindowMinutes { get; init; } = 30;
    public WindowStart WindowStartsAt { get; init; } = WindowStart.FirstResponse;

    /// <summary>How many of the best available members are notified when a listing is posted.</summary>
    public int NotifyBest { get; init; } = 10;

    /// <summary>The member attribute that says whether they can take work, and its values.</summary>
    public string AvailabilityAttribute { get; init; } = "status";
    public string Available { get; init; } = "available";
    public string Busy { get; init; } = "busy";

    /// <summary>A completed listing is deleted this many days after completion (seed 001: 90).</summary>
    public int CompletedRetentionDays { get; init; } = 90;
}

public enum ReviewScale
{
    /// <summary>good, neutral or bad (seed 001).</summary>
    GoodNeutralBad,

    /// <summary>1 to 5 stars; 4–5 count as good, 3 as neutral, 1–2 as bad in the rating summary.</summary>
    Stars,
}

/// <summary>What must have happened between two people before either may review the other.</summary>
public enum ReviewAfter
{
    /// <summary>Both wrote in the match's conversation: a real exchange, not one click (the default).</summary>
    Conversation,

    /// <summary>Any match is enough (markets where a match is itself the deal).</summary>
    Match,
}

public sealed record ReviewSettings
{
    public ReviewScale Scale { get; init; } = ReviewScale.GoodNeutralBad;

    /// <summary>When a match may be reviewed. Jobs (selection matches) are always reviewed once completed.</summary>
    public ReviewAfter After { get; init; } = ReviewAfter.Conversation;

    /// <summary>The longest review text, in characters.</summary>
    public int MaxTextLength { get; init; } = 2000;
}

public sealed record ScoringDefinition
{
    /// <summary>The ranking recipe: <c>venture</c>, <c>gigs</c>, <c>marketplace</c> or <c>weighted</c>.</summary>
    public required string Recipe { get; init; }

    /// <summary>Feature weights and recipe parameters; each recipe documents its own.</summary>
    public IReadOnlyDictionary<string, double> Weights { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// How a viewer's preferences meet a card's attributes (the match score of the venture and
    /// weighted recipes), one criterion per pairing, weighted.
    /// </summary>
    public IReadOnlyList<MatchCriterion> Criteria { get; init; } = [];

    /// <summary>
    /// Whether the feed also learns from behaviour (who likes whom), blended with the recipe's
    /// score by how much behaviour is known. On unless the market says <c>false</c>; off, the
    /// recipe's formula is the whole score.
    /// </summary>
    public bool Learning { get; init; } = true;

    /// <summary>The market's value of a weight, or the weight's default.</summary>
    public double Weight(ScoringWeight weight) => Weights.TryGetValue(weight.Name, out var value) ? value : weight.Default;
}

/// <summary>
/// One pairing of the viewer's side with a card's attribute. The viewer's value is a preference
/// (<see cref="Preference"/>, optionally with <see cref="PreferenceMax"/> for a min–max pair) or
/// one of their own attributes (<see cref="Own"/>). How they compare follows from the field types
/// unless <see cref="Compare"/> says otherwise: a ranked list scores the card's value by its rank
/// (first = 1, last of n = 1/n); a set scores 1 on any overlap; a number pair or range scores 1
/// when the card's number lies within, and by <see cref="Tolerance"/> how far outside it lies; a
/// single "min" number scores 1 when the card's number reaches it; two rated lists score by the
/// cosine of their centred ratings; a number preference against a place scores the distance from
/// the viewer's own place (their first geo attribute) within that many km. A value missing on either
/// side leaves the criterion out of the weighted mean.
/// </summary>
public sealed record MatchCriterion
{
    /// <summary>The viewer's side this criterion applies to.</summary>
    public required string Side { get; init; }
    public string? Preference { get; init; }
    public string? PreferenceMax { get; init; }
    public string? Own { get; init; }

    /// <summary>The card's attribute.</summary>
    public required string Attribute { get; init; }
    public double Weight { get; init; } = 1;

    /// <summary>
    /// A hard filter: a card this criterion scores 0 is never shown (a value missing on either side
    /// passes). In mutual markets a side's filters also apply the other way: I see you only if you
    /// would see me.
    /// </summary>
    public bool Filter { get; init; }

    /// <summary>
    /// A number preference of the same side that says how much this criterion matters to the person
    /// (0–10, or points to share): it multiplies <see cref="Weight"/>. When the person leaves it
    /// empty, the middle of the field's min–max stands in.
    /// </summary>
    public string? Importance { get; init; }

    /// <summary>How a number is compared; <c>auto</c> follows from the field types (see the type's summary).</summary>
    public CriterionCompare Compare { get; init; } = CriterionCompare.Auto;

    /// <summary>For <c>within</c>, <c>atLeast</c> and <c>atMost</c>: the allowed difference (e.g. within 5 years).</summary>
    public double By { get; init; }

    /// <summary>How far outside a range or target a number may be and still score above 0; 0 for in or out.</summary>
    public double Tolerance { get; init; }

    public Falloff Falloff { get; init; } = Falloff.Linear;
}

/// <summary>How a number criterion compares the wanting side's value with the card's.</summary>
public enum CriterionCompare
{
    /// <summary>By the field types: ranks, sets, ranges, minimums, rated lists.</summary>
    Auto,

    /// <summary>The card's number equals the viewer's (with the tolerance as fall-off).</summary>
    Same,

    /// <summary>The card's number is within <see cref="MatchCriterion.By"/> of the viewer's.</summary>
    Within,

    /// <summary>The card's number is at least the viewer's plus <see cref="MatchCriterion.By"/>.</summary>
    AtLeast,

    /// <summary>The card's number is at most the viewer's plus <see cref="MatchCriterion.By"/>.</summary>
    AtMost,

    /// <summary>The viewer's number is a target; closeness to it scores.</summary>
    Target,
}

/// <summary>How a number's score falls off outside a range or target, over <see cref="MatchCriterion.Tolerance"/>.</summary>
public enum Falloff
{
    /// <summary>1 − distance / tolerance, 0 beyond the tolerance.</summary>
    Linear,

    /// <summary>exp(−distance² / (2 · tolerance²)), 0 beyond three tolerances.</summary>
    Gaussian,
}
