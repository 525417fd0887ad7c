using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bogus;
using Pairwise.Accounts;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;

namespace Pairwise.Cli;

public sealed record SeedSummary(string Market, IReadOnlyDictionary<string, int> ProfilesBySide, int Cards, int Listings, string SampleEmail, TimeSpan Took, string? Note = null);

/// <summary>
/// Realistic demo data for any market, generated from its schema with Bogus: a verified user per
/// profile, the profile's card where its side shows cards, and listings for the sides that own
/// them, all valid by the market's own validator. Written in store transactions of up to 100
/// items, exactly as the API would write them — but with one shared password hash, since hashing
/// 10,000 passwords would take minutes.
/// </summary>
public sealed class Seeder(
    IItemStore store, UserStore users, MarketCatalog markets, ProfileStore profiles, ListingStore listings, ListingImages images, DemoPhotos photos, PasswordHasher hasher, TimeProvider time)
{
    public const string Password = "pairwise demo";

    // On SQLite, thousands of new items go in one bulk transaction; elsewhere, the contract's 100.
    private int MaxBatch => store is IBulkLoadingStore bulk ? bulk.MaxBulkBatch : StoreRules.MaxTransactionOperations;

    private static readonly string[] Tags =
    [
        "bikes", "vintage", "books", "furniture", "kitchen", "phones", "cameras", "gaming", "toys", "outdoor", "camping", "music", "guitar",
        "fashion", "shoes", "watches", "art", "plants", "sports", "fitness", "baby", "pets", "tools", "garden", "lamps", "computers", "audio",
    ];

    private static readonly string[] ChineseWork =
    [
        "餐廳侍應，晚市經驗，識做樓面服務", "廚房幫工，切配及洗碗", "咖啡師，識拉花", "收銀及點餐，識用POS機", "酒樓點心部幫手", "外賣速遞，有電單車牌",
        "茶餐廳水吧，識沖奶茶", "宴會侍應，週末可以開工", "清潔及執枱", "燒味斬料學徒",
    ];

    private static readonly string[] EnglishWork =
    [
        "Waiter with evening shift experience", "Kitchen helper, prep and dishwashing", "Barista, latte art", "Cashier, POS systems",
        "Event staff, weekends", "Delivery rider with motorcycle licence", "Bartender, cocktails", "Cleaner, restaurant floors",
    ];

    private static readonly string[] ChineseJobs = ["急需侍應", "廚房幫工", "洗碗員", "收銀員", "水吧師傅", "宴會侍應", "外賣速遞", "點心幫手"];

    /// <param name="cardPhotos">Give every card a photo from the library too (the demo); listings always get one.</param>
    public async Task<SeedSummary> SeedAsync(string marketId, int profileCount, int listingCount, string? onlySide, int seed,
        IProgress<(string Stage, int Done, int Total)>? progress, CancellationToken cancellationToken, bool cardPhotos = false)
    {
        var market = markets.Find(marketId) ?? throw new ArgumentException($"There is no market '{marketId}'; the markets are {string.Join(", ", markets.All.Select(m => m.Id))}.");
        var sides = onlySide is null ? [.. market.Sides] : new List<SideDefinition> { market.FindSide(onlySide) ?? throw new ArgumentException($"'{marketId}' has no side '{onlySide}'.") };
        var owners = sides.Where(s => s.Presentation == Presentation.Listings && s.Listings is not null).ToList();
        string? note = null;
        if (listingCount > 0 && owners.Count == 0)
        {
            // venture shows its members as cards: every profile seeded brings its card.
            note = $"--listings ignored: no side of '{marketId}'{(onlySide is null ? "" : $" ('{onlySide}')")} owns listings; its members are shown as cards.";
            listingCount = 0;
        }
        var started = Stopwatch.GetTimestamp();
        var faker = new Faker { Random = new Randomizer(seed) };
        var run = faker.Random.AlphaNumeric(6);
        var hash = hasher.Hash(Password);
        var now = time.GetUtcNow();
        var batch = new List<WriteOperation>(StoreRules.MaxTransactionOperations);
        var bySide = sides.ToDictionary(s => s.Id, _ => 0);
        var ownerProfiles = new List<ProfileRecord>();
        var cards = 0;
        string? sample = null;
        var library = await photos.LibraryAsync(cancellationToken);

        for (var n = 0; n < profileCount; n++)
        {
            var side = sides[n % sides.Count];
            var email = $"{side.Id}{bySide[side.Id]}.{run}@demo.pairwise.local";
            sample ??= email;
            var (operations, profile) = NewMember(market, side, email, hash, faker, now, cardPhotos ? library : null);
            cards += profile.CardId is null ? 0 : 1;
            await AddAsync(batch, operations, cancellationToken);
            bySide[side.Id]++;
            if (owners.Any(o => o.Id == side.Id))
            {
                ownerProfiles.Add(profile);
            }
            progress?.Report(("profiles", n + 1, profileCount));
        }
        await FlushAsync(batch, cancellationToken);

        if (listingCount > 0 && ownerProfiles.Count == 0)
        {
            throw new ArgumentException($"Listings need owners: seed some {string.Join(" or ", owners.Select(o => o.Id))} profiles too (--profiles).");
        }
        for (var n = 0; n < listingCount; n++)
        {
            await AddAsync(batch, NewListing(market, ownerProfiles[n % ownerProfiles.Count], faker, library, now), cancellationToken);
            progress?.Report(("listings", n + 1, listingCount));
        }
        await FlushAsync(batch, cancellationToken);
        return new SeedSummary(market.Id, bySide, cards, listingCount, sample ?? "", Stopwatch.GetElapsedTime(started), note);
    }

    /// <summary>A listing of <paramref name="owner"/>'s with coherent text (the market's templates) and a photo from the library: its writes.</summary>
    private List<WriteOperation> NewListing(MarketDefinition market, ProfileRecord owner, Faker faker, IReadOnlyList<(ProcessedImage Photo, string Sha256, string Blob)> library, DateTimeOffset now,
        bool demo = false)
    {
        var side = market.FindSide(owner.Side)!;
        var rules = side.Listings!;
        var created = now.AddMinutes(-faker.Random.Int(0, 60 * 24 * Math.Min(rules.LifetimeDays ?? 30, 30) - 60));
        var place = HongKong(faker);
        var gigs = market.MatchRule == MatchRule.Selection;
        var attributes = Generate(market, side, rules.Attributes, faker, now);
        var text = DemoContent.Listing(market.Id, attributes, faker, demo);
        var listing = new ListingRecord
        {
            Id = Ids.New(Ids.Listing, time),
            Market = market.Id,
            Side = side.Id,
            OwnerProfileId = owner.Id,
            OwnerUserId = owner.UserId,
            Title = text?.Title ?? (gigs ? faker.PickRandom(ChineseJobs) : faker.Commerce.ProductName()),
            Description = text?.Description ?? (gigs ? $"{faker.PickRandom(ChineseWork)}。{faker.PickRandom(EnglishWork)}." : faker.Commerce.ProductDescription()),
            Attributes = Valid(market, rules.Attributes, attributes, "attributes"),
            Tags = text is not null ? text.Tags : gigs ? [] : [.. faker.PickRandom(Tags, faker.Random.Int(1, 3)).Distinct()],
            Price = text is not null ? text.Price : gigs ? null : Math.Round(faker.Random.Decimal(10, 2000)),
            Location = new ListingLocation(place.Lat, place.Lon),
            Status = rules.Statuses[0],
            CreatedAt = created,
            UpdatedAt = created,
            ExpiresAt = rules.LifetimeDays is { } days ? created.AddDays(days) : null,
        };
        // A photo from the library on every listing (some markets show only listings with one).
        (listing, var imageWrite) = WithPhoto(listing, library, faker);
        return [.. listings.CreateOperations(listing), imageWrite];
    }

    private (ListingRecord Listing, WriteOperation Write) WithPhoto(ListingRecord listing, IReadOnlyList<(ProcessedImage Photo, string Sha256, string Blob)> library, Faker faker)
    {
        var (photo, sha256, blob) = library[faker.Random.Int(0, library.Count - 1)];
        var (image, item) = images.Shared(listing, photo, sha256, blob);
        return (listing with { Images = [image] }, new WriteOperation.Put(item, Condition.NotExists));
    }

    /// <summary>A verified user with a profile on one side (and its card, where the side shows cards, with a photo when a library is given): the writes and the profile.</summary>
    private (List<WriteOperation> Operations, ProfileRecord Profile) NewMember(MarketDefinition market, SideDefinition side, string email, string hash, Faker faker, DateTimeOffset now,
        IReadOnlyList<(ProcessedImage Photo, string Sha256, string Blob)>? cardPhotos, bool demo = false)
    {
        var created = now.AddMinutes(-faker.Random.Int(0, 60 * 24 * 60));
        var user = new UserRecord
        {
            Id = Ids.New(Ids.User, time),
            Email = email,
            DisplayName = faker.Name.FullName(),
            PasswordHash = hash,
            EmailVerified = true,
            CreatedAt = created,
        };
        var (generated, wanted) = (Generate(market, side, side.Attributes, faker, now), Generate(market, side, side.Preferences, faker, now));
        var name = DemoContent.ShapeProfile(market, side.Id, generated, wanted, faker, demo);
        var attributes = Valid(market, side.Attributes, generated, "attributes");
        var preferences = Valid(market, side.Preferences, wanted, "preferences");
        var profile = new ProfileRecord
        {
            Id = Ids.New(Ids.Profile, time),
            UserId = user.Id,
            Market = market.Id,
            Side = side.Id,
            DisplayName = name ?? (market.Id == "venture" && side.Id == "startup" ? faker.Company.CompanyName() : user.DisplayName),
            Attributes = attributes,
            Preferences = preferences,
            Completeness = ProfileRules.Completeness(side, attributes, preferences),
            CreatedAt = created,
            UpdatedAt = created,
            LastActiveAt = now.AddHours(-faker.Random.Int(0, 24 * 5)),
        };
        List<WriteOperation> operations = [.. UserStore.CreateOperations(user)];
        if (side.Presentation == Presentation.Card)
        {
            profile = profile with { CardId = Ids.New(Ids.Listing, time) };
            var card = ListingRules.Card(profile, side, profile.CardId, created, now);
            if (cardPhotos is not null)
            {
                (card, var photo) = WithPhoto(card, cardPhotos, faker);
                operations.Add(photo);
            }
            operations.AddRange(listings.CreateOperations(card));
        }
        operations.AddRange(profiles.CreateOperations(profile));
        return (operations, profile);
    }

    /// <summary>One known account for the demo (password <see cref="Password"/>); false when it exists already.</summary>
    public async Task<bool> DemoAccountAsync(string email, string marketId, string sideId, CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(email, cancellationToken) is not null)
        {
            return false;
        }
        var market = markets.Find(marketId)!;
        var (operations, _) = NewMember(market, market.FindSide(sideId)!, email, hasher.Hash(Password), new Faker { Random = new Randomizer(StableSeed(email)) }, time.GetUtcNow(),
            await photos.LibraryAsync(cancellationToken), demo: true);
        return (await store.TransactAsync(operations, cancellationToken)).Committed;
    }

    /// <summary>Listings for a demo account's profile (the seller's products, the employer's jobs), as seeded ones are made.</summary>
    public async Task DemoListingsAsync(string email, string marketId, string sideId, int count, CancellationToken cancellationToken)
    {
        var market = markets.Find(marketId)!;
        if (await users.FindByEmailAsync(email, cancellationToken) is not { } user
            || await profiles.FindOwnAsync(user.Record.Id, marketId, sideId, cancellationToken) is not { } owner)
        {
            return;
        }
        var faker = new Faker { Random = new Randomizer(StableSeed(email) ^ 0x5eed) };
        var library = await photos.LibraryAsync(cancellationToken);
        for (var n = 0; n < count; n++)
        {
            if (!(await store.TransactAsync(NewListing(market, owner.Record, faker, library, time.GetUtcNow(), demo: true), cancellationToken)).Committed)
            {
                throw new InvalidOperationException($"A demo listing of {email} conflicted with existing data.");
            }
        }
    }

    /// <summary>The same seed for the same address in every process (string hash codes differ per process), so a demo account is the same on every start.</summary>
    private static int StableSeed(string email) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(email)));

    private async Task AddAsync(List<WriteOperation> batch, List<WriteOperation> operations, CancellationToken cancellationToken)
    {
        if (batch.Count + operations.Count > MaxBatch)
        {
            await FlushAsync(batch, cancellationToken);
        }
        batch.AddRange(operations);
    }

    private async Task FlushAsync(List<WriteOperation> batch, CancellationToken cancellationToken)
    {
        if (store is IBulkLoadingStore bulk && batch.All(o => o is WriteOperation.Put))
        {
            // Every item is new (fresh ids, e-mail addresses with this run's token): no condition to check.
            await bulk.BulkPutAsync([.. batch.Cast<WriteOperation.Put>().Select(p => p.Item)], cancellationToken);
        }
        else if (batch.Count > 0 && !(await store.TransactAsync(batch, cancellationToken)).Committed)
        {
            throw new InvalidOperationException("A seed batch conflicted with existing data; seed again (each run uses new e-mail addresses).");
        }
        batch.Clear();
    }

    /// <summary>Values for a schema's fields: every required one, most optional ones, plausible for their type and name.</summary>
    private static JsonObject Generate(MarketDefinition market, SideDefinition side, IReadOnlyList<FieldDefinition> fields, Faker faker, DateTimeOffset now)
    {
        var values = new JsonObject();
        foreach (var field in fields)
        {
            if (!field.Required && faker.Random.Double() > 0.8)
            {
                continue;
            }
            var allowed = market.AllowedValues(field);
            JsonNode? value = field.Type switch
            {
                FieldType.Category when field.Name == market.Selection.AvailabilityAttribute && allowed.Contains(market.Selection.Available) =>
                    faker.Random.Double() < 0.85 ? market.Selection.Available : faker.PickRandom(allowed.ToArray()),
                FieldType.Category => allowed.Count > 0 ? faker.PickRandom(allowed.ToArray()) : null,
                FieldType.Categories or FieldType.RankedCategories when allowed.Count > 0 =>
                    new JsonArray([.. faker.PickRandom(allowed.ToArray(), Math.Min(faker.Random.Int(1, 3), Math.Min(allowed.Count, field.MaxItems ?? 3))).Distinct().Select(v => (JsonNode)v)]),
                FieldType.Tags => new JsonArray([.. faker.PickRandom(Tags, Math.Min(faker.Random.Int(1, 3), field.MaxItems ?? 3)).Distinct().Select(v => (JsonNode)v)]),
                FieldType.Number or FieldType.Integer => Number(field, faker),
                FieldType.Range => Range(field, faker),
                FieldType.Ratings when allowed.Count > 0 => new JsonObject(faker.PickRandom(allowed.ToArray(), Math.Min(allowed.Count, faker.Random.Int(3, 8))).Distinct()
                    .Select(v => KeyValuePair.Create(v, (JsonNode?)Math.Round(faker.Random.Double(field.Min ?? 1, field.Max ?? 10))))),
                FieldType.Geo => HongKong(faker) is var (lat, lon) ? new JsonObject { ["lat"] = lat, ["lon"] = lon } : null,
                FieldType.Boolean => faker.Random.Bool(),
                FieldType.Url => $"https://{faker.Internet.DomainName()}",
                FieldType.Time => $"{faker.Random.Int(7, 21):00}:{faker.PickRandom("00", "30")}",
                FieldType.Date => DateOnly.FromDateTime(now.UtcDateTime.AddDays(faker.Random.Int(0, 14))).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                FieldType.Text => Text(market, field, faker),
                _ => null,
            };
            if (value is not null)
            {
                values[field.Name] = value;
            }
        }
        // Bounds that bound each other come out in order (a lowest price below the highest).
        foreach (var field in fields.Where(f => f.NotAbove is not null))
        {
            if (values[field.Name] is JsonValue low && values[field.NotAbove!] is JsonValue high && low.GetValue<double>() > high.GetValue<double>())
            {
                (values[field.Name], values[field.NotAbove!]) = (high.DeepClone(), low.DeepClone());
            }
        }
        return values;
    }

    private static JsonNode Number(FieldDefinition field, Faker faker)
    {
        var value = LogUniform(field, faker);
        return field.Type == FieldType.Integer ? (JsonNode)(long)Math.Round(value) : Math.Round(value, 0);
    }

    private static JsonObject Range(FieldDefinition field, Faker faker)
    {
        var low = LogUniform(field, faker);
        var high = Math.Min(field.Max ?? double.MaxValue, low * faker.Random.Double(1.2, 2.0));
        return new JsonObject { ["min"] = Math.Round(low), ["max"] = Math.Round(Math.Max(low, high)) };
    }

    /// <summary>Amounts spread the way prices and rates do: as many between 10 and 100 as between 100 and 1,000.</summary>
    private static double LogUniform(FieldDefinition field, Faker faker)
    {
        var min = Math.Max(field.Min ?? 1, 1);
        var max = Math.Max(min, Math.Min(field.Max ?? 10_000, min * 1_000_000));
        return Math.Exp(faker.Random.Double(Math.Log(min), Math.Log(max)));
    }

    private static string Text(MarketDefinition market, FieldDefinition field, Faker faker)
    {
        var name = field.Name.ToUpperInvariant();
        var text = market.MatchRule == MatchRule.Selection && name.Contains("DESCRIPTION", StringComparison.Ordinal)
            ? faker.Random.Bool() ? faker.PickRandom(ChineseWork) : faker.PickRandom(EnglishWork)
            : name.Contains("NAME", StringComparison.Ordinal) || name.Contains("COMPANY", StringComparison.Ordinal) ? faker.Company.CompanyName()
            : name.Contains("PERSON", StringComparison.Ordinal) ? faker.Name.FullName()
            : faker.Company.CatchPhrase() + ". " + faker.Lorem.Sentence(8);
        return field.MaxLength is { } max && text.Length > max ? text[..max] : text;
    }

    private static (double Lat, double Lon) HongKong(Faker faker) => (Math.Round(faker.Random.Double(22.20, 22.50), 5), Math.Round(faker.Random.Double(113.90, 114.30), 5));

    private static Dictionary<string, JsonElement> Valid(MarketDefinition market, IReadOnlyList<FieldDefinition> fields, JsonObject values, string what)
    {
        var errors = new Dictionary<string, string[]>();
        var valid = SchemaValidator.Validate(market, fields, JsonSerializer.SerializeToElement(values), what, errors);
        return errors.Count == 0 ? valid : throw new InvalidOperationException($"Generated {what} failed the schema: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}"))}");
    }
}
