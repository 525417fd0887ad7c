using System.Numerics;
using System.Text.Json;
using GraphQL.Types;
using GraphQLParser.AST;
using Pairwise.Platform;

namespace Pairwise.Graph;

/// <summary>
/// Any JSON value: a market's attributes and preferences (their shape is the market file's, not
/// the schema's), explanations, notification data. In a document it is written as a GraphQL
/// object or list literal; in variables as plain JSON.
/// </summary>
public sealed class JsonGraphType : ScalarGraphType
{
    /// <summary>The REST API's JSON: the same names and enum spellings in both.</summary>
    public static readonly JsonSerializerOptions Web = CreateOptions();

    public JsonGraphType()
    {
        Name = "JSON";
        Description = "Any JSON value; its shape is described by the market file (GET /v1/markets/{market}), not by this schema.";
    }

    public override object? ParseLiteral(GraphQLValue value)
    {
        try
        {
            return ToElement(FromLiteral(value));
        }
        catch (ArgumentException e)
        {
            throw new FormatException("A JSON object with the same key twice.", e);
        }
    }

    public override object? ParseValue(object? value) => ToElement(value);

    public override bool CanParseLiteral(GraphQLValue value) => value is not GraphQLVariable;

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        JsonElement element => element,
        _ => JsonSerializer.SerializeToElement(value, value.GetType(), Web),
    };

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        PlatformModule.ConfigureJson(options);
        return options;
    }

    private static JsonElement? ToElement(object? value)
    {
        if (value is null)
        {
            return null;
        }
        JsonElement element;
        try
        {
            element = value is JsonElement given ? given : JsonSerializer.SerializeToElement(value, Web);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new FormatException("Not a JSON value.", e);
        }
        return WellFormedJsonElementConverter.IsWellFormed(element)
            ? element
            : throw new FormatException("The value contains text that is not valid Unicode (a lone surrogate).");
    }

    private static object? FromLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLBooleanValue boolean => boolean.BoolValue,
        GraphQLStringValue text => (string)text.Value,
        GraphQLEnumValue name => (string)name.Name.Value,
        GraphQLIntValue integer => BigInteger.Parse(integer.Value.Span, System.Globalization.CultureInfo.InvariantCulture) is var big
            && big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : (double)big,
        GraphQLFloatValue number => double.Parse(number.Value.Span, System.Globalization.CultureInfo.InvariantCulture),
        GraphQLListValue list => list.Values?.Select(FromLiteral).ToList() ?? [],
        GraphQLObjectValue obj => obj.Fields?.ToDictionary(f => (string)f.Name.Value, f => FromLiteral(f.Value)) ?? [],
        _ => throw new FormatException("Variables cannot be used inside a JSON literal; pass the whole value as a variable."),
    };
}
