using System.Globalization;
using System.Text.Json;

namespace Pairwise.Markets;

/// <summary>
/// Checks a JSON object of attributes or preferences against a market's field list and returns
/// the normalised values (trimmed text, lower-case tags, canonical category spelling). Every
/// problem is reported under the field's path, e.g. <c>attributes.fundingAmount</c>.
/// </summary>
public static class SchemaValidator
{
    public const int DefaultMaxTextLength = 2000;
    public const int DefaultMaxTags = 20;
    public const int MaxTagLength = 40;

    public static Dictionary<string, JsonElement> Validate(
        MarketDefinition market, IReadOnlyList<FieldDefinition> schema, JsonElement? input, string prefix, Dictionary<string, string[]> errors)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (input is not { } json || json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            json = default;
        }
        else if (json.ValueKind != JsonValueKind.Object)
        {
            errors[prefix] = ["Must be an object of field names to values."];
            return values;
        }

        if (json.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in json.EnumerateObject())
            {
                var path = $"{prefix}.{property.Name}";
                var field = schema.FirstOrDefault(f => f.Name == property.Name);
                if (field is null)
                {
                    var known = schema.Count == 0 ? "none" : string.Join(", ", schema.Select(f => f.Name));
                    errors[path] = [$"Unknown field '{property.Name}'. Known fields: {known}."];
                    continue;
                }
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }
                var (value, error) = Check(market, field, property.Value);
                if (error is not null)
                {
                    errors[path] = [error];
                }
                else if (value is { } normalised)
                {
                    values[field.Name] = normalised;
                }
            }
        }
        foreach (var field in schema)
        {
            if (field.Required && !values.ContainsKey(field.Name) && !errors.ContainsKey($"{prefix}.{field.Name}"))
            {
                errors[$"{prefix}.{field.Name}"] = ["Required."];
            }
            // Two fields that bound each other (minPrice ≤ maxPrice): both named, since either may be the wrong one.
            if (field.NotAbove is { } upper && values.TryGetValue(field.Name, out var low) && values.TryGetValue(upper, out var high)
                && low.ValueKind == JsonValueKind.Number && high.ValueKind == JsonValueKind.Number && low.GetDouble() > high.GetDouble())
            {
                errors[$"{prefix}.{field.Name}"] = [$"Must not be greater than {upper}."];
                errors[$"{prefix}.{upper}"] = [$"Must not be less than {field.Name}."];
            }
        }
        return values;
    }

    private static (JsonElement? Value, string? Error) Check(MarketDefinition market, FieldDefinition field, JsonElement value) => field.Type switch
    {
        FieldType.Text => Text(field, value),
        FieldType.Url => Url(value),
        FieldType.Category => Category(market, field, value),
        FieldType.Categories or FieldType.RankedCategories => Categories(market, field, value),
        FieldType.Tags => Tags(field, value),
        FieldType.Number => Number(field, value, integer: false),
        FieldType.Integer => Number(field, value, integer: true),
        FieldType.Range => Range(field, value),
        FieldType.Geo => Geo(value),
        FieldType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? (value, null) : (null, "Must be true or false."),
        FieldType.DateTime => DateTimeValue(value),
        FieldType.Time => Time(value),
        FieldType.Date => Date(value),
        FieldType.Ratings => Ratings(market, field, value),
        _ => (null, "This field cannot be set."),
    };

    private static (JsonElement?, string?) Text(FieldDefinition field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return (null, "Must be a string.");
        }
        var text = value.GetString()!.Trim();
        var max = field.MaxLength ?? DefaultMaxTextLength;
        return text.Length > max ? (null, $"At most {max} characters.") : text.Length == 0 ? (null, null) : (Element(text), null);
    }

    private static (JsonElement?, string?) Url(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return (null, "Must be a string.");
        }
        var text = value.GetString()!.Trim();
        return text.Length <= 2048 && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? (Element(uri.ToString()), null)
            : (null, "Must be an absolute http or https address.");
    }

    private static (JsonElement?, string?) Category(MarketDefinition market, FieldDefinition field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return (null, "Must be a string.");
        }
        var allowed = market.AllowedValues(field);
        var match = Canonical(allowed, value.GetString()!);
        return match is null ? (null, $"Must be one of: {Describe(allowed)}.") : (Element(match), null);
    }

    private static (JsonElement?, string?) Categories(MarketDefinition market, FieldDefinition field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return (null, "Must be an array of strings.");
        }
        var allowed = market.AllowedValues(field);
        var max = field.MaxItems ?? allowed.Count;
        var chosen = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return (null, "Must be an array of strings.");
            }
            var match = Canonical(allowed, item.GetString()!);
            if (match is null)
            {
                return (null, $"'{item.GetString()}' is not one of: {Describe(allowed)}.");
            }
            if (chosen.Contains(match))
            {
                return (null, $"'{match}' appears twice.");
            }
            chosen.Add(match);
        }
        return chosen.Count > max ? (null, $"At most {max} values.") : (Element(chosen), null);
    }

    private static (JsonElement?, string?) Ratings(MarketDefinition market, FieldDefinition field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return (null, "Must be an object of values to numbers, e.g. {\"hiking\": 7}.");
        }
        var allowed = market.AllowedValues(field);
        var ratings = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (Canonical(allowed, property.Name) is not { } name)
            {
                return (null, $"'{property.Name}' is not one of: {Describe(allowed)}.");
            }
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var rating) || !double.IsFinite(rating))
            {
                return (null, $"The rating of '{name}' must be a number.");
            }
            if (InBounds(field, rating) is { Item2: { } error })
            {
                return (null, $"The rating of '{name}': {error}");
            }
            if (!ratings.TryAdd(name, rating))
            {
                return (null, $"'{name}' appears twice.");
            }
        }
        return ratings.Count == 0 ? (null, null) : (Element(ratings), null);
    }

    private static (JsonElement?, string?) Tags(FieldDefinition field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return (null, "Must be an array of strings.");
        }
        var tags = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return (null, "Must be an array of strings.");
            }
            var tag = NormaliseTag(item.GetString()!);
            if (tag.Length is 0 or > MaxTagLength)
            {
                return (null, $"Each tag is 1–{MaxTagLength} characters.");
            }
            if (!tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }
        var max = field.MaxItems ?? DefaultMaxTags;
        return tags.Count > max ? (null, $"At most {max} tags.") : (Element(tags), null);
    }

    /// <summary>Tags compare without case or surrounding space, and inner runs of space become one dash.</summary>
    public static string NormaliseTag(string tag) =>
        string.Join('-', tag.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).TrimStart('#');

    private static (JsonElement?, string?) Number(FieldDefinition field, JsonElement value, bool integer)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            return (null, integer ? "Must be a whole number." : "Must be a number.");
        }
        if (integer && number != Math.Floor(number))
        {
            return (null, "Must be a whole number.");
        }
        return InBounds(field, number) ?? (value, null);
    }

    private static (JsonElement?, string?)? InBounds(FieldDefinition field, double number)
    {
        if (field.Min is { } min && number < min)
        {
            return (null, $"Must be at least {min.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (field.Max is { } max && number > max)
        {
            return (null, $"Must be at most {max.ToString(CultureInfo.InvariantCulture)}.");
        }
        return null;
    }

    private static (JsonElement?, string?) Range(FieldDefinition field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object
            || !TryGetNumber(value, "min", out var low) || !TryGetNumber(value, "max", out var high)
            || value.EnumerateObject().Count() != 2)
        {
            return (null, "Must be an object {\"min\": number, \"max\": number}.");
        }
        if (low > high)
        {
            return (null, "min must not be greater than max.");
        }
        return InBounds(field, low) ?? InBounds(field, high) ?? (Element(new { min = low, max = high }), null);
    }

    private static (JsonElement?, string?) Geo(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object
            || !TryGetNumber(value, "lat", out var lat) || !TryGetNumber(value, "lon", out var lon)
            || value.EnumerateObject().Count() != 2)
        {
            return (null, "Must be an object {\"lat\": number, \"lon\": number}.");
        }
        return lat is < -90 or > 90 || lon is < -180 or > 180
            ? (null, "lat is −90…90 and lon is −180…180.")
            : (Element(new { lat, lon }), null);
    }

    private static (JsonElement?, string?) DateTimeValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
        && value.GetString()!.Contains('T', StringComparison.Ordinal)
            ? (Element(at.ToString("O", CultureInfo.InvariantCulture)), null)
            : (null, "Must be an ISO 8601 date and time, e.g. 2026-05-01T18:00:00+08:00.");

    private static (JsonElement?, string?) Time(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && TimeOnly.TryParseExact(value.GetString(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? (Element(time.ToString("HH:mm", CultureInfo.InvariantCulture)), null)
            : (null, "Must be a time of day, HH:mm.");

    private static (JsonElement?, string?) Date(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? (Element(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null)
            : (null, "Must be a date, yyyy-MM-dd.");

    private static bool TryGetNumber(JsonElement value, string name, out double number)
    {
        number = 0;
        return value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Number
            && property.TryGetDouble(out number) && double.IsFinite(number);
    }

    private static string? Canonical(IReadOnlyList<string> allowed, string value)
    {
        var trimmed = value.Trim();
        foreach (var candidate in allowed)
        {
            if (string.Equals(candidate, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }
        return null;
    }

    private static string Describe(IReadOnlyList<string> allowed) =>
        allowed.Count <= 12 ? string.Join(", ", allowed) : string.Join(", ", allowed.Take(12)) + $" (and {allowed.Count - 12} more; see the market definition)";

    private static JsonElement Element<T>(T value) => JsonSerializer.SerializeToElement(value);
}
