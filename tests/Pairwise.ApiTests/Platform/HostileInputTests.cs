using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pairwise.Tests.Scenarios;

namespace Pairwise.Tests.Platform;

/// <summary>
/// Every operation in the OpenAPI document, fuzzed from its own schema and examples: nothing
/// answers 5xx, every error is a problem details body whatever the client accepts, nothing is
/// logged as an error, and the server is healthy afterwards.
/// </summary>
public sealed class HostileInputTests
{
    [Theory]
    [OnEachEngine]
    public async Task NoOperationAnswers5xxOrAnythingButProblemDetailsToHostileInput(Engine engine)
    {
        var errors = new ErrorLog();
        using var app = new PairwiseApp(engine, new()
        {
            ["Pairwise:Operators:0"] = "fuzz-operator@example.com",
            ["Pairwise:RateLimits:SendBurst"] = "100000",
            ["Pairwise:RateLimits:SendsPerMinute"] = "100000",
        }, services: services => services.AddSingleton<ILoggerProvider>(errors));
        var world = await WorldAsync(app);
        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var cases = HostileInput.Cases(document, world.GoodValue);
        var failures = new List<string>();
        var anonymous = app.CreateClient();
        foreach (var hostile in cases)
        {
            using var request = new HttpRequestMessage(hostile.Method, hostile.Url) { Content = hostile.Body() };
            if (!hostile.Anonymous)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", hostile.Url.Contains("/operator/", StringComparison.Ordinal) ? world.OperatorToken : world.Token);
            }
            if (hostile.Accept is { } accept)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }
            foreach (var (header, value) in hostile.Headers ?? new Dictionary<string, string>())
            {
                request.Headers.Remove(header);
                request.Headers.TryAddWithoutValidation(header, value);
            }
            using var response = await anonymous.SendAsync(request);
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                failures.Add($"{status} ← {hostile.Name}: {Truncate(await response.Content.ReadAsStringAsync())}");
            }
            else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{status} as {response.Content.Headers.ContentType?.MediaType ?? "nothing"} ← {hostile.Name}");
            }
        }

        Assert.True(cases.Count >= 4_000, $"only {cases.Count} cases");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join('\n', failures.Take(60)));
        Assert.True(errors.Entries.IsEmpty, "logged as errors:\n" + string.Join('\n', errors.Entries.Take(20)));
        await Expect.Status(await anonymous.GetAsync("/health/ready"), HttpStatusCode.OK);
        // The fuzzing logged the user out at the end; signed in again, their conversation is intact.
        var login = await Expect.Json(await anonymous.PostAsJsonAsync("/v1/auth/login", new { email = world.Owner.Email, password = world.Owner.Password }), HttpStatusCode.OK);
        var texts = new List<string>();
        string? cursor = null;
        do
        {
            using var page = new HttpRequestMessage(HttpMethod.Get, $"/v1/conversations/{world.Match.ConversationId}/messages?limit=100{(cursor is null ? "" : "&cursor=" + cursor)}");
            page.Headers.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString());
            var list = await Expect.Json(await anonymous.SendAsync(page), HttpStatusCode.OK);
            texts.AddRange(Chat.Texts(list));
            cursor = list.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? Uri.EscapeDataString(next.GetString()!) : null;
        }
        while (cursor is not null);
        Assert.Equal(["Hi!", "Hello there"], texts[^2..]);
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>A user who owns something of every kind, so good ids lead past the first check.</summary>
    private sealed record World(UserSession Owner, Matched Match, string ListingId, string ImageId, string NotificationId, string ProfileId, string Token, string OperatorToken)
    {
        public string GoodValue(string path, string method, string parameter) => parameter switch
        {
            "market" => "marketplace",
            "side" => "seller",
            "imageId" => ImageId,
            "userId" => Match.Investor.UserId,
            "email" => "gone@example.com",
            "responseId" => "rsp_" + new string('0', 32),
            "listingId" or "jobId" => ListingId,
            _ when path.StartsWith("/v1/conversations", StringComparison.Ordinal) => Match.ConversationId,
            _ when path.StartsWith("/v1/matches", StringComparison.Ordinal) => Match.MatchId,
            _ when path.StartsWith("/v1/notifications", StringComparison.Ordinal) => NotificationId,
            _ when path.StartsWith("/v1/profiles", StringComparison.Ordinal) => ProfileId,
            _ => ListingId,
        };
    }

    private static async Task<World> WorldAsync(PairwiseApp app)
    {
        var match = await Chat.MatchAsync(app);
        var owner = match.Founder;
        await Chat.SendAsync(match.Investor, match.ConversationId, "Hello there");
        await Chat.SendAsync(owner, match.ConversationId, "Hi!");
        await Expect.Status(await owner.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { attributes = new { shopName = "Fuzz Corner" } }), HttpStatusCode.Created);
        var listing = (await Marketplace.ProductAsync(owner)).GetProperty("id").GetString()!;
        var image = await Expect.Json(await owner.Client.PostAsync($"/v1/listings/{listing}/images", Marketplace.ImageForm("photo.png")), HttpStatusCode.Created);
        var notifications = await Expect.Json(await owner.Client.GetAsync("/v1/notifications"), HttpStatusCode.OK);
        var profile = await Expect.Json(await owner.Client.GetAsync("/v1/markets/venture/profiles/startup/me"), HttpStatusCode.OK);

        // The fuzzing user is also an operator, so operator endpoints are reached too.
        var operatorUser = await app.SignUpAsync("fuzz-operator@example.com");
        await Expect.Status(await operatorUser.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = app.LatestEmailCode("fuzz-operator@example.com") }), HttpStatusCode.OK);
        return new World(owner, match, listing, image.GetProperty("id").GetString()!,
            notifications.GetProperty("items")[0].GetProperty("id").GetString()!, profile.GetProperty("id").GetString()!, Chat.Token(owner), Chat.Token(operatorUser));
    }
}
