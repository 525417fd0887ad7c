using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Pairwise.Platform;

/// <summary>Example values for an endpoint's OpenAPI description, declared beside the endpoint.</summary>
public sealed record OpenApiExample(string? RequestBody = null, IReadOnlyDictionary<string, string>? Parameters = null);

public static class OpenApiExampleExtensions
{
    public static TBuilder WithExample<TBuilder>(this TBuilder builder, string? requestBody = null, IReadOnlyDictionary<string, string>? parameters = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OpenApiExample(requestBody, parameters));

    /// <summary>Copies each endpoint's <see cref="OpenApiExample"/> into its operation.</summary>
    public static Task Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<OpenApiExample>().LastOrDefault() is not { } example)
        {
            return Task.CompletedTask;
        }
        if (example.RequestBody is { } body && operation.RequestBody?.Content is { } content)
        {
            foreach (var media in content.Values.OfType<OpenApiMediaType>())
            {
                media.Example = JsonNode.Parse(body);
            }
        }
        foreach (var (name, value) in example.Parameters ?? new Dictionary<string, string>())
        {
            if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == name) is { } parameter)
            {
                parameter.Example = JsonValue.Create(value);
            }
        }
        return Task.CompletedTask;
    }
}
