using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Pairwise.Tests.Platform;

public sealed class OpenApiTests
{
    [Theory]
    [OnEachEngine]
    public async Task TheDocumentIsValidOpenApi31(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        await Expect.Status(response, HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();

        var result = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());

        Assert.Empty(result.Diagnostic!.Errors);
        Assert.StartsWith("3.1", JsonDocument.Parse(text).RootElement.GetProperty("openapi").GetString());
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        var errors = result.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet());
        Assert.Empty(errors ?? []);
    }

    [Theory]
    [OnEachEngine]
    public async Task EveryOperationHasASummaryAndProtectedOnesDeclareBearerAuth(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.True(operation.Value.TryGetProperty("summary", out _), $"{operation.Name} {path.Name} has no summary");
            }
        }
        Assert.True(document.GetProperty("paths").GetProperty("/v1/me").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(document.GetProperty("paths").GetProperty("/v1/markets").GetProperty("get").TryGetProperty("security", out _));
    }

    [Theory]
    [OnEachEngine]
    public async Task EveryJsonRequestBodyHasAnExampleAndBrowseDocumentsItsFilters(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Value.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var json))
                {
                    Assert.True(json.TryGetProperty("example", out _), $"{operation.Name} {path.Name} has no request example");
                }
            }
        }
        var browse = document.GetProperty("paths").GetProperty("/v1/markets/{market}/listings").GetProperty("get");
        var parameters = browse.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        foreach (var name in new[] { "tags", "minPrice", "maxPrice", "condition", "near", "radiusKm", "owner", "limit", "cursor" })
        {
            Assert.True(parameters.ContainsKey(name), $"browse does not document {name}");
        }
        Assert.Equal("22.2819,114.1582", parameters["near"].GetProperty("example").GetString());
    }

    [Theory]
    [OnEachEngine]
    public async Task TheReferencePageIsServedWithoutTheInternet(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var client = app.CreateClient();
        var page = await client.GetStringAsync("/docs/");
        Assert.Contains("scalar.js", page);
        Assert.DoesNotContain("cdn.", page);
        await Expect.Status(await client.GetAsync("/docs/scalar.js"), HttpStatusCode.OK);
    }
}
