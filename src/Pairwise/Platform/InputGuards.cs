using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pairwise.Platform;

/// <summary>
/// The checks every request passes before any feature sees it: route values of a sane length
/// (an id is never longer than this, so a longer one is simply not found) and JSON whose text is
/// well-formed UTF-16 wherever it is kept as a raw <see cref="JsonElement"/>.
/// </summary>
public static class InputGuards
{
    /// <summary>Longer than any id, market, side or e-mail address the API issues or accepts.</summary>
    public const int MaxRouteValueLength = 256;

    /// <summary>Answers 404 for a route value no resource could have, before a handler or the store sees it.</summary>
    public static ValueTask<object?> RouteValuesAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var (_, value) in context.HttpContext.Request.RouteValues)
        {
            if (value is string text && (text.Length > MaxRouteValueLength || text.AsSpan().ContainsAnyInRange('\0', '\u001f')))
            {
                return ValueTask.FromResult<object?>(Problems.NotFound("There is nothing at this address."));
            }
        }
        return next(context);
    }
}

/// <summary>
/// Reads a <see cref="JsonElement"/> and refuses it when a string or a property name in it is not
/// valid UTF-16 (a lone surrogate such as <c>"\ud800"</c>): the parser keeps such text escaped,
/// and it would only fail later, when a feature reads it. Refused here, it is a 400 naming the field.
/// </summary>
public sealed class WellFormedJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        if (!IsWellFormed(element))
        {
            throw new JsonException("The value contains text that is not valid Unicode (a lone surrogate).");
        }
        return element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

    public static bool IsWellFormed(JsonElement element)
    {
        try
        {
            return Check(element);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Check(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!Check(item))
                    {
                        return false;
                    }
                }
                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    if (!Check(property.Value))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return true;
        }
    }
}

public static class FormFiles
{
    /// <summary>An uploaded file's bytes, read whole (callers check its size first).</summary>
    public static async Task<byte[]> ReadAllAsync(this IFormFile file, CancellationToken cancellationToken)
    {
        var bytes = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }
}
