using System.Net.Http.Headers;

namespace Pairwise.Tests.Scenarios;

/// <summary>GraphQL over HTTP as a client sends it: one operation per POST, the whole response back.</summary>
public static class Gql
{
    public static async Task<JsonElement> RunAsync(HttpClient client, string query, object? variables = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"GraphQL answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>The data of an operation that must succeed (its errors shown when it did not).</summary>
    public static async Task<JsonElement> DataAsync(HttpClient client, string query, object? variables = null)
    {
        var response = await RunAsync(client, query, variables);
        Assert.False(response.TryGetProperty("errors", out var errors), $"Unexpected errors: {errors}");
        return response.GetProperty("data");
    }

    /// <summary>The codes of the errors of an operation, in order.</summary>
    public static IReadOnlyList<string> Codes(JsonElement response) =>
        response.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateArray().Select(e => e.GetProperty("extensions").GetProperty("code").GetString()!)] : [];

    /// <summary>A client that sends the user's bearer token, from a GraphQL sign-up or log-in.</summary>
    public static HttpClient Authorized(PairwiseApp app, JsonElement authPayload)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", authPayload.GetProperty("accessToken").GetString());
        return client;
    }
}
