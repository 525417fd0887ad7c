using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pairwise.Platform;

namespace Pairwise.Markets;

/// <summary>
/// The markets this platform serves, read once at start from the presets beside the binary and
/// from <c>Pairwise:MarketsDirectory</c>. A broken file stops the start with a message that names
/// the file and the field, so an operator never runs with a half-understood market.
/// </summary>
public sealed partial class MarketCatalog
{
    public static readonly FrozenSet<string> Recipes = FrozenSet.Create("venture", "gigs", "marketplace", "weighted");

    private static readonly JsonSerializerOptions FileOptions = CreateFileOptions();

    private readonly FrozenDictionary<string, MarketDefinition> _markets;

    public MarketCatalog(IEnumerable<MarketDefinition> markets)
    {
        _markets = markets.ToFrozenDictionary(m => m.Id, StringComparer.Ordinal);
        All = [.. _markets.Values.OrderBy(m => m.Id, StringComparer.Ordinal)];
    }

    public IReadOnlyList<MarketDefinition> All { get; }

    public MarketDefinition? Find(string id) => _markets.GetValueOrDefault(id);

    public static MarketCatalog Load(IEnumerable<string> directories)
    {
        var markets = new Dictionary<string, MarketDefinition>(StringComparer.Ordinal);
        foreach (var directory in directories.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
            {
                var market = LoadFile(file);
                markets[market.Id] = market; // a later folder overrides a preset of the same id
            }
        }
        if (markets.Count == 0)
        {
            throw new MarketDefinitionException($"No market definitions found in {string.Join(", ", directories)}.");
        }
        return new MarketCatalog(markets.Values);
    }

    public static MarketDefinition LoadFile(string file)
    {
        MarketDefinition? market;
        try
        {
            using var stream = File.OpenRead(file);
            market = JsonSerializer.Deserialize<MarketDefinition>(stream, FileOptions);
        }
        catch (JsonException e)
        {
            throw new MarketDefinitionException($"{file}: {e.Path ?? "$"}: {FirstSentence(e.Message)}");
        }
        if (market is null)
        {
            throw new MarketDefinitionException($"{file}: the file holds no market definition.");
        }
        var errors = Validate(market);
        if (errors.Count > 0)
        {
            throw new MarketDefinitionException($"{file}: " + string.Join("; ", errors));
        }
        var expected = Path.GetFileNameWithoutExtension(file);
        if (market.Id != expected)
        {
            throw new MarketDefinitionException($"{file}: id: '{market.Id}' must match the file name '{expected}'.");
        }
        return market;
    }

    /// <summary>Everything wrong with a definition, each as "path: problem".</summary>
    public static List<string> Validate(MarketDefinition market)
    {
        var errors = new List<string>();
        if (!IdPattern().IsMatch(market.Id))
        {
            errors.Add($"id: '{market.Id}' must be 2–32 lower-case letters, digits or dashes, starting with a letter");
        }
        if (market.Sides.Count is < 1 or > 2)
        {
            errors.Add("sides: a market has one or two sides");
        }
        if (!Recipes.Contains(market.Scoring.Recipe))
        {
            errors.Add($"scoring.recipe: '{market.Scoring.Recipe}' is not one of {string.Join(", ", Recipes.Order())}");
        }
        errors.AddRange(ScoringWeights.Check(market.Scoring));
        if (market.Conversations.MessageRetentionDays is < 1 or > 3650 || market.Conversations.MaxMessageLength is < 1 or > 100_000)
        {
            errors.Add("conversations: messageRetentionDays is 1–3650 and maxMessageLength 1–100000");
        }
        foreach (var (path, schema) in market.Sides.SelectMany(s => new[] { ($"sides.{s.Id}.attributes", s.Attributes), ($"sides.{s.Id}.preferences", s.Preferences) }))
        {
            foreach (var field in schema.Where(f => f.NotAbove is not null))
            {
                if (schema.FirstOrDefault(f => f.Name == field.NotAbove) is not { Type: FieldType.Number or FieldType.Integer } || field.Type is not (FieldType.Number or FieldType.Integer))
                {
                    errors.Add($"{path}.{field.Name}.notAbove: '{field.NotAbove}' must name another number field of the same schema");
                }
            }
        }
        if (market.Reviews.MaxTextLength is < 0 or > 100_000)
        {
            errors.Add("reviews.maxTextLength: 0–100000");
        }
        var placeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var place in market.Places)
        {
            if (string.IsNullOrWhiteSpace(place.Name) || !placeNames.Add(place.Name) || place.Lat is < -90 or > 90 || place.Lon is < -180 or > 180)
            {
                errors.Add($"places: '{place.Name}' needs a name of its own and lat −90…90, lon −180…180");
            }
        }
        if (market.Currency is { } currency && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
        {
            errors.Add($"currency: '{currency}' must be an ISO 4217 code of three capital letters (USD, HKD)");
        }
        var known = market.ValueSets.Values.SelectMany(v => v)
            .Concat(market.Sides.SelectMany(s => s.Attributes.Concat(s.Preferences).Concat(s.Listings?.Attributes ?? [])).SelectMany(f => f.Values ?? []))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var side in market.Sides.Where(s => s.Listings is not null))
        {
            foreach (var hidden in side.Listings!.Hide.Where(h => h is not ("price" or "tags" or "location")))
            {
                errors.Add($"sides.{side.Id}.listings.hide: '{hidden}' is not a field forms can leave out (price, tags, location)");
            }
        }
        foreach (var (value, text) in market.ValueLabels)
        {
            if (!known.Contains(value) || string.IsNullOrWhiteSpace(text))
            {
                errors.Add($"valueLabels.{value}: a label names a value of a value set or field, and says something");
            }
        }
        foreach (var (name, values) in market.ValueSets)
        {
            if (values.Count == 0 || values.Distinct(StringComparer.Ordinal).Count() != values.Count)
            {
                errors.Add($"valueSets.{name}: a value set lists one or more distinct values");
            }
        }
        var sideIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < market.Sides.Count; i++)
        {
            var side = market.Sides[i];
            var at = $"sides[{i}]";
            if (!IdPattern().IsMatch(side.Id))
            {
                errors.Add($"{at}.id: '{side.Id}' must be 2–32 lower-case letters, digits or dashes");
            }
            if (!sideIds.Add(side.Id))
            {
                errors.Add($"{at}.id: '{side.Id}' appears twice");
            }
            ValidateFields(market, side.Attributes, $"{at}.attributes", errors);
            ValidateFields(market, side.Preferences, $"{at}.preferences", errors);
            if (side.Presentation == Presentation.Listings && side.Listings is null)
            {
                errors.Add($"{at}.listings: a side that presents listings describes them");
            }
            if (side.Listings is { } listings)
            {
                if (listings.Statuses.Count == 0)
                {
                    errors.Add($"{at}.listings.statuses: name at least one status");
                }
                foreach (var (name, status) in new[] { ("holdStatus", listings.HoldStatus), ("doneStatus", listings.DoneStatus) })
                {
                    if (status is not null && !listings.Statuses.Skip(1).Contains(status))
                    {
                        errors.Add($"{at}.listings.{name}: '{status}' must be one of the statuses after the first ({string.Join(", ", listings.Statuses.Skip(1))})");
                    }
                }
                if (listings.MaxPerProfile is < 1 || listings.LifetimeDays is < 1)
                {
                    errors.Add($"{at}.listings: maxPerProfile and lifetimeDays are at least 1 when given");
                }
                if (listings.Images.Min < 0 || listings.Images.Max > 20 || listings.Images.Min > listings.Images.Max)
                {
                    errors.Add($"{at}.listings.images: 0 ≤ min ≤ max ≤ 20");
                }
                ValidateFields(market, listings.Attributes, $"{at}.listings.attributes", errors);
            }
        }
        return errors;
    }

    private static void ValidateFields(MarketDefinition market, IReadOnlyList<FieldDefinition> fields, string at, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var path = $"{at}[{i}]";
            if (!FieldNamePattern().IsMatch(field.Name))
            {
                errors.Add($"{path}.name: '{field.Name}' must be camelCase letters and digits");
            }
            if (!names.Add(field.Name))
            {
                errors.Add($"{path}.name: '{field.Name}' appears twice");
            }
            var listed = field.Type is FieldType.Category or FieldType.Categories or FieldType.RankedCategories or FieldType.Ratings;
            if (listed && field.Values is null && field.ValueSet is null)
            {
                errors.Add($"{path}: a {field.Type} field needs values or a valueSet");
            }
            if (field.ValueSet is not null && !market.ValueSets.ContainsKey(field.ValueSet))
            {
                errors.Add($"{path}.valueSet: '{field.ValueSet}' is not in valueSets");
            }
            if (field.Values is { Count: 0 })
            {
                errors.Add($"{path}.values: list at least one value");
            }
            if (field.Min > field.Max)
            {
                errors.Add($"{path}: min is greater than max");
            }
            if (field.MaxLength is < 1 || field.MaxItems is < 1)
            {
                errors.Add($"{path}: maxLength and maxItems are at least 1 when given");
            }
        }
    }

    private static JsonSerializerOptions CreateFileOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            RespectRequiredConstructorParameters = true,
        };
        PlatformModule.ConfigureJson(options);
        return options;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,31}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z][A-Za-z0-9]{0,63}$")]
    private static partial Regex FieldNamePattern();
}

public sealed class MarketDefinitionException(string message) : ConfigurationProblemException(message);
